/**
 * Delivery of copies: the {@link io.shadowcar.sink.ShadowSink} contract (never blocks, never throws, one counted
 * outcome per copy), the fan-out {@link io.shadowcar.sink.ShadowSinks} the router hands events to, and the
 * {@link io.shadowcar.sink.ShadowExchangeListener} that receives primary/shadow pairs for the diff.
 *
 * <p>Threading: {@code send} runs on the caller's event loop; HTTP copies run on the shadow client's connections and
 * their callbacks (including the listener) on event loops too, so listeners must hand heavy work elsewhere.
 */
package io.shadowcar.sink;
