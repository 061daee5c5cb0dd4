package io.shadowcar.proxy;

import io.vertx.core.Handler;
import java.util.function.BiConsumer;

/**
 * A step of an {@link Exchange} as a Vert.x callback. The steps are non-capturing method references (one shared
 * instance each), so guarding costs one small object per registered callback, as {@code this::step} would, and
 * nothing per chunk.
 */
record GuardedStep<T>(Exchange exchange, BiConsumer<Exchange, T> step) implements Handler<T> {

  static <T> Handler<T> of(Exchange exchange, BiConsumer<Exchange, T> step) {
    return new GuardedStep<>(exchange, step);
  }

  /** Runs one step; should it throw, the exchange ends through {@link Exchange#onInternalError} instead of hanging. */
  static <T> void run(Exchange exchange, BiConsumer<Exchange, T> step, T event) {
    try {
      step.accept(exchange, event);
    } catch (RuntimeException e) {
      exchange.onInternalError(e);
    }
  }

  @Override
  public void handle(T event) {
    run(exchange, step, event);
  }
}
