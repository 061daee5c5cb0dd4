package io.shadowcar.common.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class OneLineTest {

  @Test
  void textWithoutControlCharactersIsReturnedAsItIs() {
    String text = "shadow answered 503: naïve \\ \"quoted\" ✓";
    assertSame(text, OneLine.of(text));
    assertNull(OneLine.of(null));
  }

  @Test
  void lineBreaksTabsAndOtherControlsBecomeEscapes() {
    assertEquals("a\\r\\nX-Evil: 1", OneLine.of("a\r\nX-Evil: 1"));
    assertEquals("\\tx\\u001b[31mred\\u007f\\u0000", OneLine.of("\tx\u001b[31mred\u007f\u0000"));
    assertEquals("\\n", OneLine.of("\n"));
  }
}
