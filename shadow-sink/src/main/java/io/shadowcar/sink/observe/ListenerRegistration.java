package io.shadowcar.sink.observe;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One exchange listener with the bounds of its queue.
 *
 * @param name short and fixed (it names the thread {@code shadowcar-exchange-NAME} and tags the drop counter),
 *     lower-case letters, digits and '-'
 * @param listener the listener
 * @param maxQueued exchanges waiting or being handled, at most; over it new ones are dropped ({@code queue_full})
 * @param maxQueuedBytes body bytes those exchanges hold, at most; over it new ones are dropped ({@code bytes_full})
 * @param droppedMetric the counter its drops go to, tagged {@code reason} only (e.g. {@code shadowcar.diff.dropped}
 *     for the diff); {@code null} for the generic {@code shadowcar.exchange.listener.dropped{listener,reason}}.
 *     Each drop is counted once, in one of the two.
 */
public record ListenerRegistration(String name, ExchangeListener listener, int maxQueued, long maxQueuedBytes,
    String droppedMetric) {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

  public ListenerRegistration {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("name: " + name + " (expected: lower-case letters, digits, '-')");
    }
    Objects.requireNonNull(listener, "listener");
    if (maxQueued <= 0) {
      throw new IllegalArgumentException("maxQueued: " + maxQueued + " (expected: > 0)");
    }
    if (maxQueuedBytes <= 0) {
      throw new IllegalArgumentException("maxQueuedBytes: " + maxQueuedBytes + " (expected: > 0)");
    }
    if (droppedMetric != null && droppedMetric.isBlank()) {
      throw new IllegalArgumentException("droppedMetric: '' (expected: a metric name, or null for the generic one)");
    }
  }

  /** A listener whose drops are counted in the generic {@code shadowcar.exchange.listener.dropped}. */
  public ListenerRegistration(String name, ExchangeListener listener, int maxQueued, long maxQueuedBytes) {
    this(name, listener, maxQueued, maxQueuedBytes, null);
  }
}
