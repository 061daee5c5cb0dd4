package io.shadowcar.dashboard;

import io.shadowcar.diff.Verdict;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Per-endpoint rings of per-minute counts (requests, differing, noise). Not thread-safe (the recorder guards it). */
final class TrendBook {

  private final int minutes;
  private final Map<String, Ring> rings = new HashMap<>();

  private final class Ring {
    final long[] minuteOf = new long[minutes];
    final long[] requests = new long[minutes];
    final long[] differing = new long[minutes];
    final long[] noise = new long[minutes];

    int slot(long minute) {
      int i = (int) Math.floorMod(minute, (long) minutes);
      if (minuteOf[i] != minute) {
        minuteOf[i] = minute;
        requests[i] = 0;
        differing[i] = 0;
        noise[i] = 0;
      }
      return i;
    }

    long at(long[] counts, long minute) {
      int i = (int) Math.floorMod(minute, (long) minutes);
      return minuteOf[i] == minute ? counts[i] : 0;
    }
  }

  TrendBook(int minutes) {
    this.minutes = minutes;
  }

  void count(String endpoint, Verdict verdict, long nowMillis) {
    Ring r = rings.computeIfAbsent(endpoint, k -> new Ring());
    int i = r.slot(nowMillis / 60_000);
    r.requests[i]++;
    if (verdict == Verdict.DIFFERENT) {
      r.differing[i]++;
    } else if (verdict == Verdict.NOISE) {
      r.noise[i]++;
    }
  }

  Map<String, Trend> snapshot(long nowMillis) {
    long last = nowMillis / 60_000;
    long first = last - minutes + 1;
    Map<String, Trend> out = new HashMap<>(rings.size() * 2);
    rings.forEach((endpoint, r) -> {
      List<Long> req = new ArrayList<>(minutes);
      List<Long> diff = new ArrayList<>(minutes);
      List<Long> noise = new ArrayList<>(minutes);
      for (long m = first; m <= last; m++) {
        req.add(r.at(r.requests, m));
        diff.add(r.at(r.differing, m));
        noise.add(r.at(r.noise, m));
      }
      out.put(endpoint, new Trend(first, req, diff, noise));
    });
    return out;
  }

  void clear() {
    rings.clear();
  }
}
