package io.shadowcar.templates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DebounceTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static Instant at(long millis) {
    return T0.plusMillis(millis);
  }

  @Test
  void rendersAfterTheQuietPeriod() {
    Debounce debounce = new Debounce(Duration.ofSeconds(1), Duration.ofSeconds(4));
    assertEquals(at(1000), debounce.onChange(at(0)));
    assertFalse(debounce.due(at(999)));
    assertTrue(debounce.due(at(1000)));
  }

  @Test
  void eachChangeRestartsTheQuietPeriod() {
    Debounce debounce = new Debounce(Duration.ofSeconds(1), Duration.ofSeconds(4));
    debounce.onChange(at(0));
    assertEquals(at(1600), debounce.onChange(at(600)));
    assertFalse(debounce.due(at(1000)));
  }

  @Test
  void neverWaitsLongerThanMaxAfterTheFirstChange() {
    Debounce debounce = new Debounce(Duration.ofSeconds(1), Duration.ofSeconds(4));
    debounce.onChange(at(0));
    debounce.onChange(at(2500));
    assertEquals(at(4000), debounce.onChange(at(3500)));
    assertTrue(debounce.due(at(4000)));
  }

  @Test
  void zeroWaitIsDueAtOnce() {
    Debounce debounce = new Debounce(Duration.ZERO, Duration.ZERO);
    assertEquals(at(5), debounce.onChange(at(5)));
    assertTrue(debounce.due(at(5)));
  }

  @Test
  void clearStartsANewBurst() {
    Debounce debounce = new Debounce(Duration.ofSeconds(1), Duration.ofSeconds(2));
    debounce.onChange(at(0));
    debounce.clear();
    assertFalse(debounce.pending());
    assertEquals(at(6000), debounce.onChange(at(5000)));
  }
}
