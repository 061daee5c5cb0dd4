package io.shadowcar.sink.observe;

/**
 * Receives completed exchanges (the copied request, the primary's response and the shadow's, when the sink has one),
 * e.g. to diff them. Registered with {@link ListenerRegistration}: each listener gets its own bounded queue and its own
 * thread, so it may block or take its time; when it falls behind, exchanges are dropped for it alone and counted.
 *
 * <p>Not a place to count copy outcomes (the sinks did) nor to touch the primary path (it is long gone). A listener
 * that throws is logged and keeps receiving.
 */
@FunctionalInterface
public interface ExchangeListener {

  /** One completed exchange, on the listener's own thread, in the order offered. */
  void onExchange(CompletedExchange exchange);
}
