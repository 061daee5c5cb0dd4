package io.shadowcar.proxy.tap;

/**
 * Sees a copy of each exchange that crosses the proxy, without being able to delay, alter or fail it.
 *
 * <p>{@link #open} runs on the event loop of the caller's connection for every request, before the request is
 * forwarded, so it must be cheap and must never block or throw. A tap that is not interested in a request returns
 * {@link ExchangeTap#NONE}, which costs the request one branch per callback.
 *
 * <p>Do not use a tap to make routing decisions for the primary request: the proxy ignores anything a tap does to the
 * objects it is shown, and a tap that throws is logged, counted and detached for that exchange.
 */
@FunctionalInterface
public interface TrafficTap {

  /** A tap that never looks at anything. */
  TrafficTap NONE = head -> ExchangeTap.NONE;

  /**
   * Called once per request with its head as it will be forwarded (hop-by-hop headers removed, {@code X-Request-Id}
   * and {@code X-Forwarded-*} set).
   *
   * @return the per-exchange observer, or {@link ExchangeTap#NONE}
   */
  ExchangeTap open(RequestHead head);
}
