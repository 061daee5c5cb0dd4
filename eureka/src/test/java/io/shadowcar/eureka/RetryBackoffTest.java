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
}
