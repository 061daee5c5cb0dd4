package io.shadowcar.launcher.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shadowcar.launcher.cli.ArgumentValues.BadArgumentException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FleetArgumentsTest {

  private static final String[] WORKER = {"--bootstrap", "k:9092", "--topic", "ex", "--candidate", "http://v2:8080",
      "--results-topic", "res", "--group", "g"};

  @Test
  void workerDefaultsToNoRateCap64InFlightTenSecondsAndTheEndOfTheTopic() throws Exception {
    WorkerOptions options = WorkerArguments.parse(WORKER);

    assertEquals(URI.create("http://v2:8080"), options.candidate());
    assertEquals(Optional.empty(), options.secondary());
    assertEquals(0, options.rate());
    assertEquals(64, options.maxInflight());
    assertEquals(Duration.ofSeconds(10), options.timeout());
    assertEquals(64 * 1024, options.maxBodyBytes());
    assertFalse(options.startAtEarliest());
    assertEquals(Optional.empty(), options.sessionTimeout());
    assertFalse(options.jsonLog());
  }

  @Test
  void workerReadsEveryOption() throws Exception {
    String[] more = {"--secondary=http://v1b:8080", "--rate", "50", "--max-inflight", "8", "--timeout", "2s",
        "--max-body-bytes", "1024", "--from", "earliest", "--session-timeout", "6s", "--config", "diff.properties",
        "--json-log"};
    String[] all = new String[WORKER.length + more.length];
    System.arraycopy(WORKER, 0, all, 0, WORKER.length);
    System.arraycopy(more, 0, all, WORKER.length, more.length);

    WorkerOptions options = WorkerArguments.parse(all);

    assertEquals(Optional.of(URI.create("http://v1b:8080")), options.secondary());
    assertEquals(50, options.rate());
    assertEquals(8, options.maxInflight());
    assertEquals(Duration.ofSeconds(2), options.timeout());
    assertEquals(1024, options.maxBodyBytes());
    assertTrue(options.startAtEarliest());
    assertEquals(Optional.of(Duration.ofSeconds(6)), options.sessionTimeout());
    assertEquals(Optional.of(Path.of("diff.properties")), options.config());
    assertTrue(options.jsonLog());
  }

  @Test
  void workerRejectsMissingUnknownRepeatedAndBadArgumentsNamingThem() {
    assertEquals("--group is required", assertThrows(BadArgumentException.class,
        () -> WorkerArguments.parse("--bootstrap", "k", "--topic", "t", "--candidate", "http://c",
            "--results-topic", "r")).getMessage());
    assertEquals("unknown argument: --target", assertThrows(BadArgumentException.class,
        () -> WorkerArguments.parse("--target", "http://c")).getMessage());
    assertEquals("--topic given twice (expected: once)", assertThrows(BadArgumentException.class,
        () -> WorkerArguments.parse("--topic", "a", "--topic", "b")).getMessage());
    assertTrue(assertThrows(BadArgumentException.class, () -> WorkerArguments.parse(with("--candidate", "ftp://x")))
        .getMessage().startsWith("--candidate: 'ftp://x'"));
    assertTrue(assertThrows(BadArgumentException.class, () -> WorkerArguments.parse(with("--from", "offset:3")))
        .getMessage().startsWith("--from: 'offset:3'"));
    assertEquals("--rate needs a value", assertThrows(BadArgumentException.class,
        () -> WorkerArguments.parse("--rate")).getMessage());
  }

  @Test
  void dashboardDefaultsToItsOwnGroupLoopbackAndPort7070() throws Exception {
    DashboardOptions options = DashboardArguments.parse("--bootstrap", "k:9092", "--results-topic", "res");

    assertEquals("shadowcar-diff-dashboard", options.group());
    assertEquals("127.0.0.1", options.adminHost());
    assertEquals(7070, options.adminPort());
    assertEquals(Path.of("shadowcar-data"), options.dataDir());
    assertEquals(100_000, options.dedupWindow());
    assertEquals("--admin-port: '70000' (expected: 0-65535)", assertThrows(BadArgumentException.class,
        () -> DashboardArguments.parse("--bootstrap", "k", "--results-topic", "r", "--admin-port", "70000"))
        .getMessage());
  }

  @Test
  void countsAboveTheirCeilingsAreCappedNotRefused() throws Exception {
    assertEquals(10_000, WorkerArguments.parse(with("--max-inflight", "50000")).maxInflight());
    assertEquals(16 << 20, WorkerArguments.parse(with("--max-body-bytes", "99999999999")).maxBodyBytes());
    assertEquals(10_000_000, DashboardArguments.parse("--bootstrap", "k", "--results-topic", "r",
        "--dedup-window", "99999999999").dedupWindow());
  }

  @Test
  void recentIdsDropARepeatWithinTheWindowAndForgetTheOldest() {
    RecentIds ids = new RecentIds(2);

    assertTrue(ids.firstTime("a"));
    assertFalse(ids.firstTime("a"));
    assertTrue(ids.firstTime("b"));
    assertTrue(ids.firstTime("c")); // "a" falls out of the window
    assertTrue(ids.firstTime("a"));
  }

  private static String[] with(String name, String value) {
    String[] args = WORKER.clone();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals(name)) {
        args[i + 1] = value;
        return args;
      }
    }
    String[] more = new String[args.length + 2];
    System.arraycopy(args, 0, more, 0, args.length);
    more[args.length] = name;
    more[args.length + 1] = value;
    return more;
  }
}
