package io.shadowcar.dashboard;

import io.shadowcar.diff.HistogramCodec;
import io.shadowcar.diff.SideCounters;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** One side's counters (requests, 5xx, failures, histogram) as four adjacent columns of the endpoints table. */
final class SideColumns {

  private SideColumns() {}

  static void write(PreparedStatement p, int at, SideCounters s) throws SQLException {
    p.setLong(at, s.requests());
    p.setLong(at + 1, s.serverErrors());
    p.setLong(at + 2, s.failures());
    p.setBytes(at + 3, s.histogram());
  }

  /**
   * The side in columns {@code at} to {@code at + 3}; a NULL histogram (a row from before the secondary was counted)
   * is an empty side. A damaged histogram fails here, as one store error, not later.
   */
  static SideCounters read(ResultSet rs, int at) throws SQLException {
    byte[] histogram = rs.getBytes(at + 3);
    if (histogram == null) {
      return SideCounters.none();
    }
    HistogramCodec.decode(histogram);
    return new SideCounters(rs.getLong(at), rs.getLong(at + 1), rs.getLong(at + 2), histogram);
  }
}
