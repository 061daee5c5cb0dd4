package io.shadowcar.sink;

import io.shadowcar.tee.TeeEvent;

/**
 * Receives each shadow answer together with the primary's answer, for a diff. Called on a sink's event loop once both
 * responses are complete, so it must not block: hand heavy work (parsing, storing) to a bounded executor.
 *
 * <p>Not a place to count outcomes: the sink already counted them. A listener that throws is logged and ignored.
 */
public interface ShadowExchangeListener {

  /** Ignores everything. */
  ShadowExchangeListener NONE = exchange -> {};

  /** The shadow answered (any status). */
  void onShadowResponse(ShadowExchange exchange);

  /** The copy was sent but the shadow gave no answer (refused, reset, timeout). */
  default void onShadowFailure(TeeEvent event, Throwable failure) {}
}
