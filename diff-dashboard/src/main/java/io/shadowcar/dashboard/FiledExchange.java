package io.shadowcar.dashboard;

import java.util.Set;

/** An example exchange and the buckets (field keys, {@code #different}, {@code #same}) it is filed under. */
record FiledExchange(StoredExchange exchange, Set<String> buckets) {

  FiledExchange {
    buckets = Set.copyOf(buckets);
  }
}
