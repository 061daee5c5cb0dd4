package io.shadowcar.sink;

import io.shadowcar.common.config.ConfigView;
import io.shadowcar.common.config.Setting;
import java.util.List;
import java.util.Optional;

/**
 * One kind of sink, found at start-up with {@link java.util.ServiceLoader} (a line naming the implementation in
 * {@code META-INF/services/io.shadowcar.sink.ShadowSinkProvider}). The launcher validates its keys, binds its config
 * and builds its sink without knowing the kind: adding a sink needs no change to the tee or to the launcher's wiring.
 *
 * <p>Lifecycle: {@link #settings()} feeds the launcher's catalog of known keys; {@link #bind} runs on every config
 * snapshot (pure, no I/O); {@link #create} runs once per sidecar, for a bound config only.
 *
 * <p>Conventions: a new sink's keys are {@code shadowcar.shadow.<tag>.*}, declared once as {@link Setting}s in one
 * {@code *Settings} class; its config is an immutable record whose compact constructor rejects a bad field with
 * {@link io.shadowcar.common.config.InvalidValueException}. Implementations must have a public no-argument
 * constructor and hold no state.
 *
 * @param <C> the sink's bound config record
 */
public interface ShadowSinkProvider<C> {

  /** The tag routes select the sink with ({@code shadowcar.routes.NAME.sinks}) and its metrics carry, e.g. {@code http}. */
  String tag();

  /** Every key the sink reads; anything else under its prefix is an unknown key. */
  List<Setting<?>> settings();

  /**
   * The sink's config from a snapshot, or empty when the sink is not configured there (its defining key is unset).
   * Bad values are recorded on {@code view} as problems, also while the sink is off; after a problem the result is
   * unusable and the caller must not build.
   */
  Optional<C> bind(ConfigView view);

  /** Builds the running sink; it may start background work but must return at once and never block a caller. */
  ShadowSink create(C config, SinkContext context);
}
