package io.shadowcar.dashboard;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shadowcar.diff.AggregateSnapshot;
import io.shadowcar.diff.DiffAggregate;
import io.shadowcar.diff.ExchangeSample;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiffStoreTest {

  @TempDir
  Path dir;

  private DiffRecorder recorder(Path dataDir) {
    return DiffRecorder.start(Exchanges.CONFIG, RecordingPolicy.defaults(), Exchanges.dashboardConfig(), dataDir,
        new SimpleMeterRegistry());
  }

  private static void feed(DiffRecorder recorder, int rounds) {
    for (int i = 0; i < rounds; i++) {
      Exchanges.round(i).forEach(recorder::record);
    }
  }

  private static long requests(DiffRecorder recorder) {
    return recorder.view().aggregate().endpoints().stream().mapToLong(e -> e.requests()).sum();
  }

  @Test
  void restartRestoresCountersExamplesRulesAndClearTime() throws Exception {
    AggregateSnapshot before;
    List<StoredExchange> examplesBefore;
    long since;
    try (DiffRecorder first = recorder(dir)) {
      first.addRule(IgnoreRule.Kind.HEADER, "X-Trace", null).get();
      feed(first, Exchanges.ROUNDS);
      await().until(() -> requests(first) == 5L * Exchanges.ROUNDS);
      before = first.view().aggregate();
      examplesBefore = first.samples(Exchanges.CHANGED, "body.name", 0);
      since = first.view().sinceMillis();
    }
    assertTrue(Files.exists(dir.resolve(DiffStore.FILE_NAME)));
    try (DiffRecorder second = recorder(dir)) {
      assertEquals(before, second.view().aggregate());
      assertEquals(examplesBefore, second.samples(Exchanges.CHANGED, "body.name", 0));
      assertEquals(5, examplesBefore.size());
      assertEquals(List.of("X-Trace"), second.view().rules().stream().map(IgnoreRule::pattern).toList());
      assertEquals(since, second.view().sinceMillis());
      assertTrue(second.storeStatus().ok());
    }
  }

  @Test
  void clearIsPersistedAndRulesSurviveIt() throws Exception {
    try (DiffRecorder first = recorder(dir)) {
      feed(first, 3);
      first.addRule(IgnoreRule.Kind.PATH, "body.ts", Exchanges.NOISY).get();
      first.clear().get();
      assertTrue(first.view().aggregate().endpoints().isEmpty());
    }
    try (DiffRecorder second = recorder(dir)) {
      assertTrue(second.view().aggregate().endpoints().isEmpty());
      assertTrue(second.samples(Exchanges.CHANGED, SampleBook.DIFFERENT, 0).isEmpty());
      assertEquals(1, second.view().rules().size());
    }
  }

  @Test
  void keepsOnlyTheNewestExamplesPerBucket() throws Exception {
    DashboardConfig config = Exchanges.dashboardConfig().withSamples(2, 3, 1000);
    try (DiffRecorder r = DiffRecorder.start(Exchanges.CONFIG, RecordingPolicy.defaults(), config, dir,
        new SimpleMeterRegistry())) {
      for (int i = 0; i < 8; i++) {
        r.record(Exchanges.changedField(i));
      }
      List<StoredExchange> kept = r.samples(Exchanges.CHANGED, "body.name", 0);
      assertEquals(2, kept.size());
      assertTrue(kept.get(0).id() > kept.get(1).id(), "newest first");
      assertEquals(3, r.samples(Exchanges.CHANGED, SampleBook.DIFFERENT, 0).size());
      await().until(() -> countRows("samples") == 3);
    }
    assertEquals(Map.of("body.name", 2L, "#different", 3L), refsPerBucket());
  }

  @Test
  void pruneDeletesExamplesOlderThanTheRetention() throws Exception {
    DiffStore store = DiffStore.open(dir, 5, 20);
    StoredExchange old = example(1, 1_000);
    StoredExchange recent = example(2, 90_000);
    store.write(new StoreBatch(List.of(), List.of(new FiledExchange(old, Set.of("#different", "body.name")),
        new FiledExchange(recent, Set.of("#different")))));
    store.prune(60_000);
    StoredContent content = store.load(100, 100_000);
    store.close();
    assertEquals(List.of(2L), content.samples().stream().map(f -> f.exchange().id()).toList());
    assertEquals(Map.of("#different", 1L), refsPerBucket());
  }

  @Test
  void recorderPrunesOnItsOwnAfterTheRetention() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    DashboardConfig config = Exchanges.dashboardConfig().withRetention(Duration.ofMinutes(10));
    try (DiffRecorder r = DiffRecorder.start(Exchanges.CONFIG, RecordingPolicy.defaults(), config, dir,
        new SimpleMeterRegistry(), clock)) {
      r.record(Exchanges.changedField(1));
      await().until(() -> countRows("samples") == 1);
      clock.advance(Duration.ofMinutes(11));
      r.record(Exchanges.identical());
      await().until(() -> countRows("samples") == 1 && countRowsWhere("samples", "endpoint = 'GET /health'") == 1);
    }
  }

  @Test
  void corruptFileGivesOneClearErrorAndRecordingGoesOn() throws Exception {
    Files.write(dir.resolve(DiffStore.FILE_NAME), "this is not a database, just garbage bytes ..........."
        .repeat(100).getBytes(StandardCharsets.UTF_8));
    try (DiffRecorder r = recorder(dir)) {
      StoreStatus status = r.storeStatus();
      assertFalse(status.ok());
      assertTrue(status.error().contains(DiffStore.FILE_NAME), status.error());
      assertTrue(status.error().contains("not a database"), status.error());
      assertTrue(status.error().contains("memory only"), status.error());
      feed(r, 2);
      await().until(() -> requests(r) == 10);
      assertEquals(2, r.samples(Exchanges.CHANGED, "body.name", 0).size());
      assertTrue(r.addRule(IgnoreRule.Kind.PATH, "body.x", null).get().id() > 0);
      r.clear().get();
      assertEquals(status, r.storeStatus(), "the first error stays the one shown");
    }
  }

  @Test
  void unwritableDirectoryGivesOneClearErrorAndRecordingGoesOn() throws Exception {
    Path notADirectory = Files.writeString(dir.resolve("data"), "a file where the data directory should be");
    try (DiffRecorder r = recorder(notADirectory)) {
      StoreStatus status = r.storeStatus();
      assertFalse(status.ok());
      assertTrue(status.error().contains("not a directory"), status.error());
      feed(r, 1);
      await().until(() -> requests(r) == 5);
    }
  }

  @Test
  void refusesAFileWrittenByANewerSchema() throws Exception {
    DiffStore.open(dir, 5, 20).close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(DiffStore.FILE_NAME));
        Statement s = c.createStatement()) {
      s.executeUpdate("INSERT INTO schema_version (version) VALUES (" + (StoreSchema.VERSION + 1) + ")");
    }
    DiffStore store = DiffStore.open(dir, 5, 20);
    assertFalse(store.status().ok());
    assertTrue(store.status().error().contains("newer shadowcar"), store.status().error());
  }

  @Test
  void usesWalAndRecordsTheSchemaVersion() throws Exception {
    DiffStore.open(dir, 5, 20).close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(DiffStore.FILE_NAME));
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
        assertEquals("wal", rs.next() ? rs.getString(1) : null);
      }
      try (ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
        assertEquals(StoreSchema.VERSION, rs.next() ? rs.getInt(1) : -1);
      }
    }
  }

  @Test
  void disabledStoreKeepsEverythingInMemory() {
    DashboardConfig off = new DashboardConfig(5, 20, 100, 1024, false, Duration.ofDays(1), Duration.ofSeconds(1), 10,
        5);
    try (DiffRecorder r = DiffRecorder.start(Exchanges.CONFIG, RecordingPolicy.defaults(), off, dir,
        new SimpleMeterRegistry())) {
      assertFalse(r.storeStatus().enabled());
      assertTrue(r.storeStatus().ok());
      assertNull(r.storeStatus().path());
      r.record(Exchanges.identical());
      await().until(() -> requests(r) == 1);
    }
    assertFalse(Files.exists(dir.resolve(DiffStore.FILE_NAME)));
  }

  private StoredExchange example(long id, long at) {
    ExchangeSample sample = Exchanges.changedField((int) id);
    var result = new io.shadowcar.diff.DiffEngine(Exchanges.CONFIG).compare(sample);
    var verdict = new DiffAggregate(Exchanges.CONFIG).ingest(result);
    StoredExchange x = StoredExchange.of(id, at, result.endpoint(), verdict, sample, result, 1024);
    assertNotNull(x);
    return x;
  }

  private long countRows(String table) throws Exception {
    return countRowsWhere(table, "1 = 1");
  }

  private long countRowsWhere(String table, String where) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(DiffStore.FILE_NAME));
        Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
            "SELECT COUNT(*) FROM " + table + " WHERE " + where)) {
      return rs.next() ? rs.getLong(1) : -1;
    }
  }

  private Map<String, Long> refsPerBucket() throws Exception {
    Map<String, Long> out = new java.util.TreeMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(DiffStore.FILE_NAME));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT bucket, COUNT(*) FROM sample_refs GROUP BY bucket")) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getLong(2));
      }
    }
    return out;
  }

  /** A clock the test moves forward. */
  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
