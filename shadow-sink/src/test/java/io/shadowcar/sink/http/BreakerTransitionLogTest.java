package io.shadowcar.sink.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BreakerTransitionLogTest {

  private final List<String> lines = new ArrayList<>();
  private final HttpShadowSinkConfig config = HttpShadowSinkConfig.defaults().withBreaker(50, 20, 10_000);
  private final CircuitBreaker breaker = CircuitBreaker.of("shadow-http", CircuitBreakerConfig.custom()
      .slidingWindowSize(20)
      .minimumNumberOfCalls(20)
      .failureRateThreshold(50)
      .permittedNumberOfCallsInHalfOpenState(2)
      .waitDurationInOpenState(Duration.ofSeconds(10))
      .build());

  @Test
  void saysWhyTheBreakerOpenedWhatItDropsAndWhenItProbesAndCloses() {
    BreakerTransitionLog.attach(breaker, config, () -> "Connection refused: /127.0.0.1:9",
        line -> lines.add("WARN " + line), line -> lines.add("INFO " + line));

    for (int i = 0; i < 20; i++) {
      breaker.onError(1, TimeUnit.MILLISECONDS, new ConnectException("Connection refused"));
    }
    breaker.transitionToHalfOpenState();
    breaker.onSuccess(1, TimeUnit.MILLISECONDS);
    breaker.onSuccess(1, TimeUnit.MILLISECONDS);

    assertEquals(List.of(
        "WARN shadow http breaker OPEN: 100 % of the last 20 copies failed (last: Connection refused: /127.0.0.1:9); "
            + "copies dropped as circuit_open for 10 s",
        "INFO shadow http breaker HALF_OPEN: trying 2 copies after 10 s open",
        "INFO shadow http breaker CLOSED: the shadow answers again; copies flow"), lines);
  }
}
