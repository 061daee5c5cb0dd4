package io.shadowcar.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shadowcar.tee.DropReason;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  @Test
  void everyDropOfLoopsDroppingAtOnceIsInExactlyOneLine() throws Exception {
    List<String> written = Collections.synchronizedList(new ArrayList<>());
    DroppedCopiesLog shadow = new DroppedCopiesLog(() -> "shadow", Map.of(), Duration.ofMinutes(1), clock::get,
        written::add);
    int threads = 4;
    int each = 200_000;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> droppers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread dropper = new Thread(() -> {
        awaitQuietly(start);
        for (int i = 0; i < each; i++) {
          shadow.dropped(DropReason.CIRCUIT_OPEN);
        }
      });
      dropper.start();
      droppers.add(dropper);
    }
    // Lines written while the loops drop: by the droppers as each minute passes, and by the periodic flush.
    AtomicBoolean dropping = new AtomicBoolean(true);
    Thread flusher = new Thread(() -> {
      awaitQuietly(start);
      while (dropping.get()) {
        advance(61);
        shadow.flush();
      }
    });
    flusher.start();
    start.countDown();
    for (Thread dropper : droppers) {
      dropper.join();
    }
    dropping.set(false);
    flusher.join();
    advance(61);
    shadow.flush();

    long logged = 0;
    Pattern count = Pattern.compile("shadow: ([0-9,]+) cop(?:y|ies) dropped in the last [0-9]+ s: circuit_open");
    for (String line : written) {
      Matcher m = count.matcher(line);
      assertTrue(m.matches(), line);
      logged += Long.parseLong(m.group(1).replace(",", ""));
    }
    assertEquals((long) threads * each, logged, written.size() + " lines");
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void advance(long seconds) {
    clock.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
  }
}
