package io.shadowcar.dashboard;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The example exchanges kept in memory: per endpoint, the newest few per field path and per "any difference" /
 * "same" bucket. One exchange filed under several buckets is held once and dropped when no bucket keeps it; a global
 * cap drops the oldest first. Not thread-safe (the recorder guards it).
 */
final class SampleBook {

  /** The bucket of exchanges with any difference (real or noise). */
  static final String DIFFERENT = "#different";
  /** The bucket of exchanges without a difference. */
  static final String SAME = "#same";

  private final int perField;
  private final int perEndpoint;
  private final int maxTotal;
  private final int maxBucketsPerEndpoint;
  private final LinkedHashMap<Long, Held> byId = new LinkedHashMap<>();
  private final Map<String, Map<String, ArrayDeque<Long>>> buckets = new HashMap<>();

  private static final class Held {
    final StoredExchange exchange;
    int refs;

    Held(StoredExchange exchange) {
      this.exchange = exchange;
    }
  }

  SampleBook(int perField, int perEndpoint, int maxTotal, int maxBucketsPerEndpoint) {
    this.perField = perField;
    this.perEndpoint = perEndpoint;
    this.maxTotal = maxTotal;
    this.maxBucketsPerEndpoint = maxBucketsPerEndpoint;
  }

  /** The buckets an exchange belongs in: its differing, noisy and ignored field keys, and DIFFERENT or SAME. */
  static Set<String> bucketsOf(StoredExchange e) {
    Set<String> out = new LinkedHashSet<>();
    boolean differs = !e.differences().isEmpty();
    out.add(differs ? DIFFERENT : SAME);
    e.differences().forEach(d -> out.add(d.key()));
    e.noise().forEach(d -> out.add(d.key()));
    e.ignored().forEach(d -> out.add(d.key()));
    return out;
  }

  /**
   * Files {@code e} (under its endpoint as the aggregate counts it) under {@code names}, as far as the bucket cap
   * allows; returns the buckets it entered (empty when kept nowhere).
   */
  Set<String> add(StoredExchange e, Collection<String> names) {
    Map<String, ArrayDeque<Long>> own = buckets.computeIfAbsent(e.endpoint(), k -> new HashMap<>());
    Held held = new Held(e);
    Set<String> entered = new LinkedHashSet<>();
    for (String name : names) {
      ArrayDeque<Long> ring = own.get(name);
      if (ring == null) {
        if (own.size() >= maxBucketsPerEndpoint) {
          continue;
        }
        ring = new ArrayDeque<>();
        own.put(name, ring);
      }
      ring.addLast(e.id());
      held.refs++;
      entered.add(name);
      if (ring.size() > capOf(name)) {
        release(ring.removeFirst());
      }
    }
    if (held.refs == 0) {
      return entered;
    }
    byId.put(e.id(), held);
    while (byId.size() > maxTotal) {
      Iterator<Long> oldest = byId.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
    return entered;
  }

  /** True while the exchange is still kept by some bucket. */
  boolean holds(long id) {
    return byId.containsKey(id);
  }

  /** The examples of one bucket, newest first, optionally only those recorded at or after {@code sinceMillis}. */
  List<StoredExchange> samples(String endpoint, String bucket, long sinceMillis) {
    Map<String, ArrayDeque<Long>> own = buckets.get(endpoint);
    ArrayDeque<Long> ring = own == null ? null : own.get(bucket);
    if (ring == null) {
      return List.of();
    }
    List<StoredExchange> out = new ArrayList<>(ring.size());
    for (Iterator<Long> it = ring.descendingIterator(); it.hasNext(); ) {
      Held h = byId.get(it.next());
      if (h != null && h.exchange.recordedAtMillis() >= sinceMillis) {
        out.add(h.exchange);
      }
    }
    return out;
  }

  /** How many examples each bucket of an endpoint holds. */
  Map<String, Integer> counts(String endpoint) {
    Map<String, ArrayDeque<Long>> own = buckets.getOrDefault(endpoint, Map.of());
    Map<String, Integer> out = new HashMap<>();
    own.forEach((name, ring) -> {
      int n = 0;
      for (Long id : ring) {
        n += byId.containsKey(id) ? 1 : 0;
      }
      out.put(name, n);
    });
    return out;
  }

  int size() {
    return byId.size();
  }

  void clear() {
    byId.clear();
    buckets.clear();
  }

  int capOf(String bucket) {
    return bucket.equals(DIFFERENT) || bucket.equals(SAME) ? perEndpoint : perField;
  }

  private void release(long id) {
    Held h = byId.get(id);
    if (h != null && --h.refs <= 0) {
      byId.remove(id);
    }
  }
}
