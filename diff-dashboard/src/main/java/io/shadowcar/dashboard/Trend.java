package io.shadowcar.dashboard;

import java.util.List;

/**
 * Per-minute counts of one endpoint, oldest minute first, ending with the current (partial) minute.
 *
 * @param startMinute the first minute, in minutes since the epoch
 */
public record Trend(long startMinute, List<Long> requests, List<Long> differing, List<Long> noise) {

  public Trend {
    requests = List.copyOf(requests);
    differing = List.copyOf(differing);
    noise = List.copyOf(noise);
  }
}
