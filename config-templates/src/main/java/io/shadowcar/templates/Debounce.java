package io.shadowcar.templates;

import java.time.Duration;
import java.time.Instant;

/**
 * consul-template's wait: after a change, render once nothing changed for {@code min}, but never later than
 * {@code max} after the first change of the burst. Pure state, no clock or thread of its own; not thread-safe (the
 * renderer uses it on its worker thread only).
 */
final class Debounce {

  private final Duration min;
  private final Duration max;
  private Instant first;
  private Instant last;

  Debounce(Duration min, Duration max) {
    this.min = min;
    this.max = max;
  }

  /** Notes a change at {@code now} and returns when to render. */
  Instant onChange(Instant now) {
    if (first == null) {
      first = now;
    }
    last = now;
    return deadline();
  }

  /** When the pending burst should be rendered; only meaningful while {@link #pending()}. */
  Instant deadline() {
    Instant quiet = last.plus(min);
    Instant cap = first.plus(max);
    return quiet.isBefore(cap) ? quiet : cap;
  }

  boolean pending() {
    return first != null;
  }

  boolean due(Instant now) {
    return pending() && !now.isBefore(deadline());
  }

  /** The burst was rendered (or superseded by a full render). */
  void clear() {
    first = null;
    last = null;
  }
}
