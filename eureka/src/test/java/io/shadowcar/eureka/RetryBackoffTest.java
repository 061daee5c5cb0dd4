package io.shadowcar.eureka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {

  @Test
  void doublesFromMinUntilCappedAtMax() {
    RetryBackoff backoff = new RetryBackoff(Duration.ofMillis(100), Duration.ofMillis(1000));

    assertEquals(100, backoff.delayMillis(1));
    assertEquals(200, backoff.delayMillis(2));
    assertEquals(400, backoff.delayMillis(3));
    assertEquals(800, backoff.delayMillis(4));
    assertEquals(1000, backoff.delayMillis(5));
    assertEquals(1000, backoff.delayMillis(500));
  }

  @Test
  void theRegistrarsBackOffNeverExceedsTheHeartbeatInterval() {
    RetryBackoff backoff = RetryBackoff.cappedAtHeartbeat(Duration.ofSeconds(1), Duration.ofSeconds(60),
        Duration.ofSeconds(30));

    assertEquals(16_000, backoff.delayMillis(5));
    assertEquals(30_000, backoff.delayMillis(6));
    assertEquals(30_000, backoff.delayMillis(500));
  }

  @Test
  void aConfiguredCapBelowTheHeartbeatStaysAndAHeartbeatBelowTheMinimumKeepsTheMinimum() {
    assertEquals(8_000, RetryBackoff.cappedAtHeartbeat(Duration.ofSeconds(1), Duration.ofSeconds(8),
        Duration.ofSeconds(30)).delayMillis(100));
    assertEquals(1_000, RetryBackoff.cappedAtHeartbeat(Duration.ofSeconds(1), Duration.ofSeconds(60),
        Duration.ofMillis(300)).delayMillis(100));
  }
}
