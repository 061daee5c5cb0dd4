package io.shadowcar.sink.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DroppedCopiesLogTest {

  private static final String REASON = "body_too_large (record over 1048576 bytes)";

  private final AtomicLong clock = new AtomicLong(5_000_000_000L);
  private final List<String> lines = new ArrayList<>();
  private final DroppedCopiesLog log = new DroppedCopiesLog(REASON, Duration.ofMinutes(1), clock::get, lines::add);

  @Test
  void logsTheFirstDropAtOnce() {
    advance(3);
    log.dropped();

    assertEquals(List.of("kafka sink: 1 copy dropped in the last 3 s: " + REASON), lines);
  }

  @Test
  void logsAtMostOneLinePerMinuteWithTheCountSinceTheLastLine() {
    log.dropped();
    for (int i = 0; i < 11; i++) {
      advance(5);
      log.dropped(); // 55 s after the first line: still within the minute
    }
    assertEquals(1, lines.size());

    advance(5);
    log.dropped();

    assertEquals("kafka sink: 12 copies dropped in the last 60 s: " + REASON, lines.get(1));
    advance(1);
    log.dropped();
    assertEquals(2, lines.size());
  }

  @Test
  void flushReportsDropsLeftOverOnceTheMinuteHasPassed() {
    log.dropped();
    advance(10);
    log.dropped();
    log.dropped();

    log.flush();
    assertEquals(1, lines.size(), "within the minute: nothing yet");
    advance(50);
    log.flush();
    assertEquals("kafka sink: 2 copies dropped in the last 60 s: " + REASON, lines.get(1));
    advance(120);
    log.flush();
    assertEquals(2, lines.size(), "nothing dropped since: no line");
  }

  @Test
  void aDropAfterAQuietSpellIsLoggedAtOnceWithTheTimeSinceTheLastLine() {
    log.dropped();
    advance(3600);

    log.dropped();

    assertEquals("kafka sink: 1 copy dropped in the last 3600 s: " + REASON, lines.get(1));
  }

  private void advance(long seconds) {
    clock.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
  }
}
