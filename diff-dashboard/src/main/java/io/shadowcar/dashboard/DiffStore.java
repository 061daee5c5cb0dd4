package io.shadowcar.dashboard;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shadowcar.diff.AggregateState;
import io.shadowcar.diff.DifferenceKind;
import io.shadowcar.diff.EndpointState;
import io.shadowcar.diff.FieldCounters;
import io.shadowcar.diff.SideCounters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteJDBCLoader;

/**
 * The diff results on disk: one SQLite file ({@value #FILE_NAME}, WAL mode) holding the aggregate's counters, the
 * example exchanges (bounded per endpoint and bucket, and by age), the ignore rules and the time of the last clear.
 *
 * <p>Never throws: the first failure (a corrupt file, an unwritable directory, a full disk) is logged once, shown in
 * {@link #status()}, and turns every later call into a no-op, so the caller goes on in memory. Blocking: call it from a
 * worker thread, never an event loop. Every method is synchronized; the recorder calls it from one writer thread.
 */
public final class DiffStore implements AutoCloseable {

  public static final String FILE_NAME = "diff.db";

  private static final Logger LOG = LoggerFactory.getLogger(DiffStore.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<DifferenceKind, Long>> KINDS = new TypeReference<>() {};
  private static final String CLEARED_AT = "cleared_at";
  private static final String ENDPOINT_COLUMNS = "endpoint, requests, differing, noise_only, dropped_paths,"
      + " primary_requests, primary_server_errors, primary_failures, primary_histogram,"
      + " candidate_requests, candidate_server_errors, candidate_failures, candidate_histogram,"
      + " secondary_requests, secondary_server_errors, secondary_failures, secondary_histogram";

  private final Path file;
  private final int perField;
  private final int perEndpoint;
  private Connection connection;
  private volatile StoreStatus status;

  private DiffStore(Path file, int perField, int perEndpoint) {
    this.file = file;
    this.perField = perField;
    this.perEndpoint = perEndpoint;
    this.status = file == null ? StoreStatus.disabled() : new StoreStatus(true, true, file.toString(), null);
  }

  /**
   * Opens (creating it and {@code dir} if needed) {@value #FILE_NAME} in {@code dir}. Keeps at most
   * {@code perField} examples per endpoint and field, {@code perEndpoint} per endpoint in the "any difference" and
   * "same" buckets. A failure leaves a store whose {@link #status()} says why.
   */
  public static DiffStore open(Path dir, int perField, int perEndpoint) {
    DiffStore store = new DiffStore(dir.resolve(FILE_NAME).toAbsolutePath(), perField, perEndpoint);
    store.connect(dir);
    return store;
  }

  /**
   * Loads SQLite's native library now ({@link NativeLibraryCache} says from where). On first use it costs a start-up
   * tens to hundreds of milliseconds, mostly spent on files; a spare thread can do it while the configuration loads. A
   * failure is left for {@link #open} to report.
   */
  public static void preloadNativeLibrary() {
    try {
      NativeLibraryCache.prepare();
      SQLiteJDBCLoader.initialize();
    } catch (Exception | LinkageError e) {
      LOG.debug("SQLite's native library did not load ahead of the store: {}", e.toString());
    }
  }

  /** A store that keeps nothing: results live in memory only. */
  public static DiffStore disabled() {
    return new DiffStore(null, 1, 1);
  }

  public StoreStatus status() {
    return status;
  }

  /** Everything stored, or an empty content when the store does not work. */
  synchronized StoredContent load(int maxSamples, long nowMillis) {
    if (!usable()) {
      return StoredContent.empty(nowMillis);
    }
    try {
      long clearedAt = readClearedAt(nowMillis);
      return new StoredContent(readState(), readSamples(maxSamples), readRules(), clearedAt, maxSampleId());
    } catch (SQLException | IOException | RuntimeException e) {
      fail(e);
      return StoredContent.empty(nowMillis);
    }
  }

  /**
   * Writes new counters and examples in one transaction, then trims each touched bucket to its cap; false when
   * nothing was written (an empty batch, a store switched off or failed).
   */
  synchronized boolean write(StoreBatch batch) {
    if (batch.isEmpty()) {
      return false;
    }
    return transaction(c -> {
      writeEndpoints(c, batch.endpoints());
      writeSamples(c, batch.samples());
    });
  }

  /** Deletes examples recorded before {@code beforeMillis}. */
  synchronized void prune(long beforeMillis) {
    transaction(c -> {
      update(c, "DELETE FROM sample_refs WHERE sample_id IN (SELECT id FROM samples WHERE recorded_at < ?)",
          beforeMillis);
      update(c, "DELETE FROM samples WHERE recorded_at < ?", beforeMillis);
    });
  }

  synchronized void addRule(IgnoreRule rule) {
    transaction(c -> {
      try (PreparedStatement p = c.prepareStatement(
          "INSERT INTO ignore_rules (id, kind, pattern, endpoint, created_at) VALUES (?, ?, ?, ?, ?)")) {
        p.setLong(1, rule.id());
        p.setString(2, rule.kind().name());
        p.setString(3, rule.pattern());
        p.setString(4, rule.endpoint());
        p.setLong(5, rule.createdAtMillis());
        p.executeUpdate();
      }
    });
  }

  synchronized void removeRule(long id) {
    transaction(c -> update(c, "DELETE FROM ignore_rules WHERE id = ?", id));
  }

  /** Forgets every counter and example (rules stay) and remembers when. */
  synchronized void clear(long atMillis) {
    transaction(c -> {
      try (Statement s = c.createStatement()) {
        for (String table : List.of("endpoint_state", "field_state", "sample_refs", "samples")) {
          s.executeUpdate("DELETE FROM " + table);
        }
      }
      try (PreparedStatement p = c.prepareStatement("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)")) {
        p.setString(1, CLEARED_AT);
        p.setString(2, Long.toString(atMillis));
        p.executeUpdate();
      }
    });
  }

  @Override
  public synchronized void close() {
    closeQuietly();
  }

  private void connect(Path dir) {
    try {
      Files.createDirectories(dir);
      NativeLibraryCache.prepare();
      SQLiteConfig config = new SQLiteConfig();
      config.setJournalMode(SQLiteConfig.JournalMode.WAL);
      config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
      config.setBusyTimeout(5_000);
      connection = config.createConnection("jdbc:sqlite:" + file);
      StoreSchema.migrate(connection);
      connection.setAutoCommit(false);
    } catch (SQLException | IOException | RuntimeException e) {
      fail(e);
    }
  }

  private boolean usable() {
    return connection != null && status.ok();
  }

  private interface Work {
    void run(Connection c) throws SQLException, IOException;
  }

  /** Runs {@code work} in one transaction; false when the store is not usable or the work failed. */
  private boolean transaction(Work work) {
    if (!usable()) {
      return false;
    }
    try {
      work.run(connection);
      connection.commit();
      return true;
    } catch (SQLException | IOException | RuntimeException e) {
      try {
        connection.rollback();
      } catch (SQLException ignored) {
        // the failure below is what matters
      }
      fail(e);
      return false;
    }
  }

  /** The one error: logged once, kept in the status; the connection is dropped so nothing retries per call. */
  private void fail(Exception e) {
    if (!status.ok()) {
      return;
    }
    String cause = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (e instanceof java.nio.file.FileAlreadyExistsException || e instanceof java.nio.file.NotDirectoryException) {
      cause = "not a directory: " + cause;
    }
    String error = "diff store " + file + " is unusable (" + cause + "); results are kept in memory only until it is"
        + " fixed and shadowcar restarted";
    status = new StoreStatus(true, false, file.toString(), error);
    LOG.error(error);
    LOG.debug("diff store failure", e);
    closeQuietly();
  }

  private void closeQuietly() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // closing a broken connection: nothing left to do
      }
      connection = null;
    }
  }

  private static void update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        p.setObject(i + 1, args[i]);
      }
      p.executeUpdate();
    }
  }

  private void writeEndpoints(Connection c, List<EndpointState> endpoints) throws SQLException, IOException {
    try (PreparedStatement e = c.prepareStatement("INSERT OR REPLACE INTO endpoint_state (" + ENDPOINT_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        PreparedStatement clearFields = c.prepareStatement("DELETE FROM field_state WHERE endpoint = ?");
        PreparedStatement f = c.prepareStatement("INSERT INTO field_state VALUES (?, ?, ?, ?, ?, ?)")) {
      for (EndpointState s : endpoints) {
        e.setString(1, s.endpoint());
        e.setLong(2, s.requests());
        e.setLong(3, s.differing());
        e.setLong(4, s.noiseOnly());
        e.setLong(5, s.droppedPaths());
        SideColumns.write(e, 6, s.primary());
        SideColumns.write(e, 10, s.candidate());
        SideColumns.write(e, 14, s.secondary());
        e.executeUpdate();
        clearFields.setString(1, s.endpoint());
        clearFields.executeUpdate();
        for (FieldCounters fc : s.fields()) {
          f.setString(1, s.endpoint());
          f.setString(2, fc.path());
          f.setLong(3, fc.raw());
          f.setLong(4, fc.noise());
          f.setLong(5, fc.ignored());
          f.setString(6, JSON.writeValueAsString(fc.kinds()));
          f.addBatch();
        }
        f.executeBatch();
      }
    }
  }

  private void writeSamples(Connection c, List<FiledExchange> samples) throws SQLException, IOException {
    Set<List<String>> touched = new LinkedHashSet<>();
    try (PreparedStatement s = c.prepareStatement("INSERT OR REPLACE INTO samples VALUES (?, ?, ?, ?, ?)");
        PreparedStatement r = c.prepareStatement("INSERT OR IGNORE INTO sample_refs VALUES (?, ?, ?)")) {
      for (FiledExchange fe : samples) {
        StoredExchange x = fe.exchange();
        s.setLong(1, x.id());
        s.setString(2, x.endpoint());
        s.setLong(3, x.recordedAtMillis());
        s.setString(4, x.verdict().name());
        s.setString(5, JSON.writeValueAsString(x));
        s.executeUpdate();
        for (String bucket : fe.buckets()) {
          r.setString(1, x.endpoint());
          r.setString(2, bucket);
          r.setLong(3, x.id());
          r.addBatch();
          touched.add(List.of(x.endpoint(), bucket));
        }
      }
      r.executeBatch();
    }
    try (PreparedStatement trim = c.prepareStatement("DELETE FROM sample_refs WHERE endpoint = ?1 AND bucket = ?2"
        + " AND sample_id NOT IN (SELECT sample_id FROM sample_refs WHERE endpoint = ?1 AND bucket = ?2"
        + " ORDER BY sample_id DESC LIMIT ?3)")) {
      for (List<String> eb : touched) {
        trim.setString(1, eb.get(0));
        trim.setString(2, eb.get(1));
        trim.setInt(3, eb.get(1).startsWith("#") ? perEndpoint : perField);
        trim.addBatch();
      }
      trim.executeBatch();
    }
    if (!touched.isEmpty()) {
      update(c, "DELETE FROM samples WHERE NOT EXISTS (SELECT 1 FROM sample_refs r WHERE r.sample_id = samples.id)");
    }
  }

  private long readClearedAt(long nowMillis) throws SQLException {
    try (PreparedStatement p = connection.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
      p.setString(1, CLEARED_AT);
      try (ResultSet rs = p.executeQuery()) {
        if (rs.next()) {
          return Long.parseLong(rs.getString(1));
        }
      }
    }
    try (PreparedStatement p = connection.prepareStatement("INSERT INTO meta (key, value) VALUES (?, ?)")) {
      p.setString(1, CLEARED_AT);
      p.setString(2, Long.toString(nowMillis));
      p.executeUpdate();
      connection.commit();
    }
    return nowMillis;
  }

  private AggregateState readState() throws SQLException, IOException {
    Map<String, List<FieldCounters>> fields = new HashMap<>();
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT endpoint, path, raw, noise, ignored, kinds FROM field_state")) {
      while (rs.next()) {
        fields.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new FieldCounters(rs.getString(2),
            rs.getLong(3), rs.getLong(4), rs.getLong(5), JSON.readValue(rs.getString(6), KINDS)));
      }
    }
    List<EndpointState> out = new ArrayList<>();
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT " + ENDPOINT_COLUMNS + " FROM endpoint_state ORDER BY endpoint")) {
      while (rs.next()) {
        String endpoint = rs.getString(1);
        out.add(new EndpointState(endpoint, rs.getLong(2), rs.getLong(3), rs.getLong(4),
            fields.getOrDefault(endpoint, List.of()), rs.getLong(5), SideColumns.read(rs, 6),
            SideColumns.read(rs, 10), SideColumns.read(rs, 14)));
      }
    }
    return new AggregateState(out);
  }

  private List<FiledExchange> readSamples(int max) throws SQLException, IOException {
    Map<Long, StoredExchange> newest = new LinkedHashMap<>();
    try (PreparedStatement p = connection.prepareStatement(
        "SELECT id, exchange FROM (SELECT id, exchange FROM samples ORDER BY id DESC LIMIT ?) ORDER BY id")) {
      p.setInt(1, max);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          newest.put(rs.getLong(1), JSON.readValue(rs.getString(2), StoredExchange.class));
        }
      }
    }
    Map<Long, Set<String>> buckets = new HashMap<>();
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT sample_id, bucket FROM sample_refs")) {
      while (rs.next()) {
        if (newest.containsKey(rs.getLong(1))) {
          buckets.computeIfAbsent(rs.getLong(1), k -> new LinkedHashSet<>()).add(rs.getString(2));
        }
      }
    }
    List<FiledExchange> out = new ArrayList<>(newest.size());
    newest.forEach((id, x) -> out.add(new FiledExchange(x, buckets.getOrDefault(id, Set.of()))));
    return out;
  }

  private List<IgnoreRule> readRules() throws SQLException {
    List<IgnoreRule> out = new ArrayList<>();
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT id, kind, pattern, endpoint, created_at FROM ignore_rules ORDER BY id")) {
      while (rs.next()) {
        out.add(new IgnoreRule(rs.getLong(1), IgnoreRule.Kind.parse(rs.getString(2)), rs.getString(3),
            rs.getString(4), rs.getLong(5)));
      }
    }
    return out;
  }

  private long maxSampleId() throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(id), 0) FROM samples")) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }
}
