package io.shadowcar.sink;

import java.util.Objects;

/**
 * A configured sink: its provider and the config bound for it from one snapshot. Immutable; equal when the provider
 * and the config are, so a reload can tell whether a sink's settings changed.
 *
 * @param <C> the sink's config record
 */
public record BoundSink<C>(ShadowSinkProvider<C> provider, C config) {

  public BoundSink {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(config, "config");
  }

  public String tag() {
    return provider.tag();
  }

  /** Builds the running sink (see {@link ShadowSinkProvider#create}). */
  public ShadowSink create(SinkContext context) {
    return provider.create(config, context);
  }
}
