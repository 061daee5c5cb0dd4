package io.shadowcar.tee;

import io.shadowcar.proxy.tap.RequestHead;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * The sampling draw for one percent: random, or consistent by a key's hash. Resolution is 1/10000 of a percent.
 * Hashing is FNV-1a over the value's chars with a 64-bit finaliser: stable across restarts and sidecars (unlike an
 * identity or seeded hash), so every sidecar copies the same users.
 */
final class Sampler {

  static final int BUCKETS = 1_000_000;
  private static final long NO_VALUE = -1;

  private final long threshold;
  private final SampleKey key;
  private final RandomGenerator random;

  /** @param random the draw for random sampling; {@code null} uses {@link ThreadLocalRandom} */
  Sampler(double percent, SampleKey key, RandomGenerator random) {
    this.threshold = Math.round(percent * (BUCKETS / 100));
    this.key = key;
    this.random = random;
  }

  boolean always() {
    return threshold >= BUCKETS;
  }

  boolean never() {
    return threshold <= 0;
  }

  boolean sample(RequestHead head) {
    if (always()) {
      return true;
    }
    if (never()) {
      return false;
    }
    long hash = key == null ? NO_VALUE : keyHash(head);
    long bucket = hash == NO_VALUE ? draw() : Long.remainderUnsigned(hash, BUCKETS);
    return bucket < threshold;
  }

  private int draw() {
    RandomGenerator r = random != null ? random : ThreadLocalRandom.current();
    return r.nextInt(BUCKETS);
  }

  private long keyHash(RequestHead head) {
    switch (key.source()) {
      case HEADER: {
        String value = head.headers().get(key.name());
        return value == null ? NO_VALUE : hash(value, 0, value.length());
      }
      case COOKIE: {
        List<String> cookies = head.headers().getAll("cookie");
        for (int i = 0; i < cookies.size(); i++) {
          long h = pairHash(cookies.get(i), 0, ';', key.name());
          if (h != NO_VALUE) {
            return h;
          }
        }
        return NO_VALUE;
      }
      default: {
        String uri = head.uri();
        int q = uri.indexOf('?');
        return q < 0 ? NO_VALUE : pairHash(uri, q + 1, '&', key.name());
      }
    }
  }

  /** Finds {@code name=value} in a {@code separator}-delimited list from {@code start}; hashes the value. */
  static long pairHash(String s, int start, char separator, String name) {
    int i = start;
    int end = s.length();
    int fragment = separator == '&' ? s.indexOf('#', start) : -1;
    if (fragment >= 0) {
      end = fragment;
    }
    while (i < end) {
      while (i < end && s.charAt(i) == ' ') {
        i++;
      }
      int stop = s.indexOf(separator, i);
      if (stop < 0 || stop > end) {
        stop = end;
      }
      int eq = s.indexOf('=', i);
      if (eq > 0 && eq < stop && eq - i == name.length() && s.regionMatches(i, name, 0, name.length())) {
        int valueEnd = stop;
        while (valueEnd > eq + 1 && s.charAt(valueEnd - 1) == ' ') {
          valueEnd--;
        }
        return hash(s, eq + 1, valueEnd);
      }
      i = stop + 1;
    }
    return NO_VALUE;
  }

  static long hash(String s, int from, int to) {
    long h = 0xcbf29ce484222325L;
    for (int i = from; i < to; i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    // NO_VALUE is reserved for "absent"; fold the one colliding hash onto a neighbour.
    return h == NO_VALUE ? 0 : h;
  }
}
