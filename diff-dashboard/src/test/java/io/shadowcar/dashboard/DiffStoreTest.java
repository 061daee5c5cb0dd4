package io.shadowcar.dashboard;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shadowcar.diff.AggregateSnapshot;
import io.shadowcar.diff.DiffAggregate;
import io.shadowcar.diff.DiffEngine;
import io.shadowcar.diff.EndpointSnapshot;
import io.shadowcar.diff.EndpointState;
import io.shadowcar.diff.ExchangeSample;
import io.shadowcar.diff.FieldCounters;
import io.shadowcar.diff.LatencyBaseline;
import io.shadowcar.diff.SideCounters;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
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
  void examplesReplacedInMemoryDoNotTriggerWritesOfTheirOwn() throws Exception {
    // One endpoint, five examples held at most: every new example pushes out an older one. A batch of 10 new examples
    // used to mean a write per 10 exchanges (100 here) of the few still held; now only the flush tick and close write.
    DashboardConfig config = Exchanges.dashboardConfig().withSamples(2, 3, 1000).withFlush(Duration.ofHours(1), 10);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (DiffRecorder r = DiffRecorder.start(Exchanges.CONFIG, RecordingPolicy.defaults(), config, dir, registry)) {
      for (int i = 0; i < 1000; i++) {
        r.record(Exchanges.changedField(i));
      }
      await().until(() -> requests(r) == 1000);
    }
    assertEquals(1, storeWrites(registry), "one write, at close");
    assertEquals(3, countRows("samples"));
  }

  @Test
  void aBatchOfExamplesStillHeldIsWrittenBeforeTheFlushTick() throws Exception {
    DashboardConfig config = Exchanges.dashboardConfig().withFlush(Duration.ofHours(1), 10);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (DiffRecorder r = DiffRecorder.start(Exchanges.CONFIG, RecordingPolicy.defaults(), config, dir, registry)) {
      feed(r, 2); // ten exchanges over five endpoints: every one of them is held
      await().until(() -> storeWrites(registry) == 1);
      assertEquals(10, countRows("samples"));
    }
  }

  private static long storeWrites(SimpleMeterRegistry registry) {
    return registry.get(DiffMetrics.STORE_WRITES).timer().count();
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

  /** The tables as version 1 created them, before the secondary's counters. */
  private static final List<String> V1_SCHEMA = List.of(
      "CREATE TABLE schema_version (version INTEGER NOT NULL)",
      "INSERT INTO schema_version (version) VALUES (1)",
      "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
      "CREATE TABLE endpoint_state (endpoint TEXT PRIMARY KEY, requests INTEGER NOT NULL,"
          + " differing INTEGER NOT NULL, noise_only INTEGER NOT NULL, dropped_paths INTEGER NOT NULL,"
          + " primary_requests INTEGER NOT NULL, primary_server_errors INTEGER NOT NULL,"
          + " primary_failures INTEGER NOT NULL, primary_histogram BLOB NOT NULL,"
          + " candidate_requests INTEGER NOT NULL, candidate_server_errors INTEGER NOT NULL,"
          + " candidate_failures INTEGER NOT NULL, candidate_histogram BLOB NOT NULL)",
      "CREATE TABLE field_state (endpoint TEXT NOT NULL, path TEXT NOT NULL, raw INTEGER NOT NULL,"
          + " noise INTEGER NOT NULL, ignored INTEGER NOT NULL, kinds TEXT NOT NULL, PRIMARY KEY (endpoint, path))",
      "CREATE TABLE samples (id INTEGER PRIMARY KEY, endpoint TEXT NOT NULL, recorded_at INTEGER NOT NULL,"
          + " verdict TEXT NOT NULL, exchange TEXT NOT NULL)",
      "CREATE INDEX samples_by_age ON samples (recorded_at)",
      "CREATE TABLE sample_refs (endpoint TEXT NOT NULL, bucket TEXT NOT NULL, sample_id INTEGER NOT NULL,"
          + " PRIMARY KEY (endpoint, bucket, sample_id))",
      "CREATE INDEX sample_refs_by_sample ON sample_refs (sample_id)",
      "CREATE TABLE ignore_rules (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, pattern TEXT NOT NULL,"
          + " endpoint TEXT, created_at INTEGER NOT NULL)");

  @Test
  void migratesAVersion1FileInPlaceKeepingItsData() throws Exception {
    DiffEngine engine = new DiffEngine(Exchanges.CONFIG);
    DiffAggregate written = new DiffAggregate(Exchanges.CONFIG);
    for (int i = 0; i < Exchanges.ROUNDS; i++) {
      Exchanges.round(i).forEach(x -> written.ingest(engine.compare(x)));
    }
    StoredExchange example = example(7, 5_000);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(DiffStore.FILE_NAME));
        Statement s = c.createStatement()) {
      for (String ddl : V1_SCHEMA) {
        s.execute(ddl);
      }
      s.execute("INSERT INTO meta VALUES ('cleared_at', '1234')");
      s.execute("INSERT INTO ignore_rules VALUES (3, 'PATH', 'body.ts', NULL, 99)");
      s.execute("INSERT INTO samples VALUES (7, '" + example.endpoint() + "', 5000, 'DIFFERENT', '"
          + new ObjectMapper().writeValueAsString(example).replace("'", "''") + "')");
      s.execute("INSERT INTO sample_refs VALUES ('" + example.endpoint() + "', '#different', 7)");
      try (PreparedStatement p = c.prepareStatement(
          "INSERT INTO endpoint_state VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
          PreparedStatement f = c.prepareStatement("INSERT INTO field_state VALUES (?, ?, ?, ?, ?, ?)")) {
        for (EndpointState e : written.export().endpoints()) {
          p.setString(1, e.endpoint());
          p.setLong(2, e.requests());
          p.setLong(3, e.differing());
          p.setLong(4, e.noiseOnly());
          p.setLong(5, e.droppedPaths());
          int at = 6;
          for (SideCounters side : List.of(e.primary(), e.candidate())) {
            p.setLong(at++, side.requests());
            p.setLong(at++, side.serverErrors());
            p.setLong(at++, side.failures());
            p.setBytes(at++, side.histogram());
          }
          p.executeUpdate();
          for (FieldCounters fc : e.fields()) {
            f.setString(1, e.endpoint());
            f.setString(2, fc.path());
            f.setLong(3, fc.raw());
            f.setLong(4, fc.noise());
            f.setLong(5, fc.ignored());
            f.setString(6, new ObjectMapper().writeValueAsString(fc.kinds()));
            f.executeUpdate();
          }
        }
      }
    }

    DiffStore store = DiffStore.open(dir, 5, 20);
    StoredContent content = store.load(100, 100_000);
    assertTrue(store.status().ok(), String.valueOf(store.status().error()));
    AggregateSnapshot restored = DiffAggregate.restore(Exchanges.CONFIG, content.state()).snapshot();
    assertEquals(1234, content.clearedAtMillis());
    assertEquals(List.of("body.ts"), content.rules().stream().map(IgnoreRule::pattern).toList());
    assertEquals(List.of(example), content.samples().stream().map(FiledExchange::exchange).toList());
    AggregateSnapshot before = written.snapshot();
    assertEquals(before.endpoints().size(), restored.endpoints().size());
    for (EndpointSnapshot e : before.endpoints()) {
      EndpointSnapshot back = restored.endpoint(e.endpoint());
      assertEquals(e.fields(), back.fields());
      assertEquals(e.primary(), back.primary());
      assertEquals(e.candidate(), back.candidate());
      assertEquals(0, back.secondary().requests(), "version 1 counted no secondary");
      assertEquals(LatencyBaseline.PRIMARY, back.latencyBaseline());
    }

    store.write(new StoreBatch(written.export().endpoints(), List.of()));
    AggregateSnapshot rewritten = DiffAggregate.restore(Exchanges.CONFIG, store.load(100, 100_000).state())
        .snapshot();
    store.close();
    assertEquals(before, rewritten, "the secondary's counters are stored from now on");
    assertEquals(LatencyBaseline.SECONDARY, rewritten.endpoint(Exchanges.SLOWER).latencyBaseline());
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(DiffStore.FILE_NAME));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
      assertEquals(2, rs.next() ? rs.getInt(1) : -1);
    }
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
