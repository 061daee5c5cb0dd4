package io.shadowcar.launcher.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SampleOptionsTest {

  @Test
  void variantFlagWinsOverTheName() {
    SampleOptions options = SampleOptions.parse(new String[] {"--name", "v1-secondary", "--variant", "v2"});
    assertEquals(SampleVariant.V2, options.variant());
    assertEquals("v1-secondary", options.name());
  }

  @Test
  void withoutVariantANameHoldingA2PlaysV2AsBefore() {
    assertEquals(SampleVariant.V2, SampleOptions.parse(new String[] {"--name", "v2"}).variant());
    assertEquals(SampleVariant.V1, SampleOptions.parse(new String[] {"--name", "shadow-fast"}).variant());
  }

  @Test
  void quietTakesNoValueAndMayComeAnywhere() {
    SampleOptions options = SampleOptions.parse(new String[] {"--quiet", "--port", "9000", "--delay-ms", "5"});
    assertFalse(options.logRequests());
    assertEquals(9000, options.port());
    assertEquals(5, options.delayMs());
  }

  @Test
  void rejectsUnknownVariantsAndArguments() {
    assertThrows(IllegalArgumentException.class, () -> SampleOptions.parse(new String[] {"--variant", "v3"}));
    assertThrows(IllegalArgumentException.class, () -> SampleOptions.parse(new String[] {"--colour", "red"}));
    assertThrows(IllegalArgumentException.class, () -> SampleOptions.parse(new String[] {"--port"}));
  }
}
