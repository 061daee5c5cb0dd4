package io.shadowcar.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class StoredBodyTest {

  @Test
  void asciiAndUtf8BodiesAreKeptAsTextAndCutAtTheLimit() {
    assertEquals(new StoredBody("{\"id\":42}", StoredBody.UTF8, 9, false),
        StoredBody.of("{\"id\":42}".getBytes(StandardCharsets.US_ASCII), false, 100));
    assertEquals(new StoredBody("", StoredBody.UTF8, 0, false), StoredBody.of(new byte[0], false, 100));
    assertEquals(new StoredBody("{\"id\"", StoredBody.UTF8, 9, true),
        StoredBody.of("{\"id\":42}".getBytes(StandardCharsets.US_ASCII), false, 5));
    byte[] accented = "café ☕".getBytes(StandardCharsets.UTF_8);
    assertEquals(new StoredBody("café ☕", StoredBody.UTF8, accented.length, false),
        StoredBody.of(accented, false, 100));
    // the cut falls inside the three bytes of ☕: the partial character is dropped, not mangled
    assertEquals(new StoredBody("café ", StoredBody.UTF8, accented.length, true),
        StoredBody.of(accented, false, accented.length - 1));
  }

  @Test
  void bytesThatAreNotUtf8AreKeptAsBase64() {
    byte[] binary = {(byte) 0xff, (byte) 0xfe, 0x00, 0x41};
    assertEquals(new StoredBody(Base64.getEncoder().encodeToString(binary), StoredBody.BASE64, 4, false),
        StoredBody.of(binary, false, 100));
  }
}
