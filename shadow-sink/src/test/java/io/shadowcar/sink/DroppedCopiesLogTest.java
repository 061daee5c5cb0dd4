package io.shadowcar.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shadowcar.tee.DropReason;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DroppedCopiesLogTest {

  private static final String TOO_LARGE = "body_too_large (record over 1048576 bytes)";

  private final AtomicLong clock = new AtomicLong(5_000_000_000L);
  private final List<String> lines = new ArrayList<>();
  private final DroppedCopiesLog log = new DroppedCopiesLog(() -> "kafka sink",
      Map.of(DropReason.BODY_TOO_LARGE, "record over 1048576 bytes"), Duration.ofMinutes(1), clock::get, lines::add);

  @Test
  void aCauseIsDescribedOnOneLineWhateverItQuotes() {
    String quoted = "only ' ' and '\t' are allowed after '\n': a\r\nX-Evil: 1\0";
    assertEquals("only ' ' and '\\t' are allowed after '\\n': a\\r\\nX-Evil: 1\\u0000",
        DroppedCopiesLog.describe(new IllegalArgumentException(quoted)));
    assertEquals("Connection refused", DroppedCopiesLog.describe(new ConnectException("Connection refused")));
    assertEquals("ConnectException", DroppedCopiesLog.describe(new ConnectException()));
  }

  @Test
  void logsTheFirstDropAtOnce() {
    advance(3);
    log.dropped(DropReason.BODY_TOO_LARGE);

    assertEquals(List.of("kafka sink: 1 copy dropped in the last 3 s: " + TOO_LARGE), lines);
  }

  @Test
  void logsAtMostOneLinePerMinuteWithTheCountSinceTheLastLine() {
    log.dropped(DropReason.BODY_TOO_LARGE);
    for (int i = 0; i < 11; i++) {
      advance(5);
      log.dropped(DropReason.BODY_TOO_LARGE); // 55 s after the first line: still within the minute
    }
    assertEquals(1, lines.size());

    advance(5);
    log.dropped(DropReason.BODY_TOO_LARGE);

    assertEquals("kafka sink: 12 copies dropped in the last 60 s: " + TOO_LARGE, lines.get(1));
    advance(1);
    log.dropped(DropReason.BODY_TOO_LARGE);
    assertEquals(2, lines.size());
  }

  @Test
  void flushReportsDropsLeftOverOnceTheMinuteHasPassed() {
    log.dropped(DropReason.BODY_TOO_LARGE);
    advance(10);
    log.dropped(DropReason.BODY_TOO_LARGE);
    log.dropped(DropReason.BODY_TOO_LARGE);

    log.flush();
    assertEquals(1, lines.size(), "within the minute: nothing yet");
    advance(50);
    log.flush();
    assertEquals("kafka sink: 2 copies dropped in the last 60 s: " + TOO_LARGE, lines.get(1));
    advance(120);
    log.flush();
    assertEquals(2, lines.size(), "nothing dropped since: no line");
  }

  @Test
  void aDropAfterAQuietSpellIsLoggedAtOnceWithTheTimeSinceTheLastLine() {
    log.dropped(DropReason.BODY_TOO_LARGE);
    advance(3600);

    log.dropped(DropReason.BODY_TOO_LARGE);

    assertEquals("kafka sink: 1 copy dropped in the last 3600 s: " + TOO_LARGE, lines.get(1));
  }

  @Test
  void countsEachReasonApartWithItsOwnMinute() {
    DroppedCopiesLog shadow = new DroppedCopiesLog(() -> "shadow http://127.0.0.1:9", Map.of(),
        Duration.ofMinutes(1), clock::get, lines::add);
    shadow.dropped(DropReason.CIRCUIT_OPEN);
    shadow.dropped(DropReason.INFLIGHT_FULL);
    for (int i = 0; i < 1_980; i++) {
      shadow.dropped(DropReason.CIRCUIT_OPEN);
    }
    advance(60);
    shadow.flush();

    assertEquals(List.of(
        "shadow http://127.0.0.1:9: 1 copy dropped in the last 0 s: circuit_open",
        "shadow http://127.0.0.1:9: 1 copy dropped in the last 0 s: inflight_full",
        "shadow http://127.0.0.1:9: 1,980 copies dropped in the last 60 s: circuit_open"), lines);
  }

  @Test
  void namesTheLastCauseOfTheFailuresItCounts() {
    log.failed(new ConnectException("Connection refused: /127.0.0.1:9"));
    advance(30);
    log.failed(new ConnectException("Connection refused: /127.0.0.1:9"));
    log.failed(new java.util.concurrent.TimeoutException());
    advance(30);
    log.flush();

    assertEquals(List.of(
        "kafka sink: 1 copy failed in the last 0 s (last: Connection refused: /127.0.0.1:9)",
        "kafka sink: 2 copies failed in the last 60 s (last: TimeoutException)"), lines);
  }

  private void advance(long seconds) {
    clock.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
  }
}
