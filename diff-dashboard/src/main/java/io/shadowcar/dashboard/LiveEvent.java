package io.shadowcar.dashboard;

import java.util.List;

/**
 * What the page is told live: at most one {@code exchanges} summary per tick (counts since the previous one and
 * the endpoints that moved), or a {@code clear} / {@code rules} change at once.
 */
public record LiveEvent(String type, long atMillis, long same, long different, long noise, List<String> endpoints) {

  public static final String EXCHANGES = "exchanges";
  public static final String CLEAR = "clear";
  public static final String RULES = "rules";

  public LiveEvent {
    endpoints = List.copyOf(endpoints);
  }

  static LiveEvent change(String type, long atMillis) {
    return new LiveEvent(type, atMillis, 0, 0, 0, List.of());
  }
}
