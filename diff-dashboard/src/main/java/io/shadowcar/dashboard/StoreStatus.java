package io.shadowcar.dashboard;

/**
 * Whether the store works. When it does not, results are kept in memory only and {@code error} says why, once.
 *
 * @param enabled false when the store was switched off (memory only by choice)
 * @param path the database file, or null when disabled
 */
public record StoreStatus(boolean enabled, boolean ok, String path, String error) {

  static StoreStatus disabled() {
    return new StoreStatus(false, true, null, null);
  }
}
