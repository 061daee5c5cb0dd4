/**
 * Delivery of copies, behind one SPI.
 *
 * <p><b>To add a sink:</b> one package with a {@link io.shadowcar.sink.ShadowSinkProvider} (its tag, its declared
 * settings under {@code shadowcar.shadow.<tag>.*}, a binder returning empty when the sink is not configured, and a
 * factory) plus one line naming it in {@code META-INF/services/io.shadowcar.sink.ShadowSinkProvider}. The launcher
 * finds it with {@link io.shadowcar.sink.ShadowSinkProviders}, rejects its unknown keys, accepts its tag in
 * {@code shadowcar.routes.NAME.sinks} and builds it when configured; neither the tee nor the launcher's wiring
 * changes. Give the sink a {@link io.shadowcar.sink.SinkAdmission} for its in-flight bound and outcome counting,
 * and report finished copies to the {@link io.shadowcar.sink.observe.ExchangeObservers} from its
 * {@link io.shadowcar.sink.SinkContext}.
 *
 * <p>Contract ({@link io.shadowcar.sink.ShadowSink}): never block, never throw, one counted outcome per copy. The
 * fan-out {@link io.shadowcar.sink.ShadowSinks} is what the router hands events to.
 *
 * <p>Exchange observers ({@link io.shadowcar.sink.observe}): sinks report completed exchanges (request, primary
 * response, shadow response when the sink has one) to any number of listeners, each behind its own bounded queue and
 * thread, so a listener may be slow without touching an event loop.
 *
 * <p>Threading: {@code send} runs on the caller's event loop; HTTP copies run on the shadow client's connections, the
 * Kafka sink on its own thread; offering to listeners never waits.
 */
package io.shadowcar.sink;
