package io.shadowcar.dashboard;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The store's tables, versioned in {@code schema_version}. A new version appends a step to {@link #STEPS}; opening
 * runs the steps the file has not seen. A file written by a newer version is refused, never rewritten.
 */
final class StoreSchema {

  /**
   * Step i brings the schema from version i to i + 1. Version 2 adds the secondary's counters; rows written before
   * count nothing for it, and a NULL histogram reads as an empty one.
   */
  private static final List<List<String>> STEPS = List.of(List.of(
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
          + " endpoint TEXT, created_at INTEGER NOT NULL)"), List.of(
      "ALTER TABLE endpoint_state ADD COLUMN secondary_requests INTEGER NOT NULL DEFAULT 0",
      "ALTER TABLE endpoint_state ADD COLUMN secondary_server_errors INTEGER NOT NULL DEFAULT 0",
      "ALTER TABLE endpoint_state ADD COLUMN secondary_failures INTEGER NOT NULL DEFAULT 0",
      "ALTER TABLE endpoint_state ADD COLUMN secondary_histogram BLOB"));

  static final int VERSION = STEPS.size();

  private StoreSchema() {}

  /** Creates or upgrades the tables; throws when the file is not a database or is newer than this code. */
  static void migrate(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
      int current = 0;
      try (ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
        if (rs.next()) {
          current = rs.getInt(1);
        }
      }
      if (current > VERSION) {
        throw new SQLException("schema version " + current + " was written by a newer shadowcar (this one reads up"
            + " to " + VERSION + ")");
      }
      for (int v = current; v < VERSION; v++) {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
          for (String ddl : STEPS.get(v)) {
            s.execute(ddl);
          }
          s.execute("INSERT INTO schema_version (version) VALUES (" + (v + 1) + ")");
          c.commit();
        } catch (SQLException e) {
          c.rollback();
          throw e;
        } finally {
          c.setAutoCommit(auto);
        }
      }
    }
  }
}
