package io.shadowcar.tee;

/**
 * Receives each copy the router decided to make, at the end of the caller's request body, on the caller's event loop.
 *
 * <p>It owns one hold on the event (see {@link TeeEvent#release()}) and must neither block nor throw: it hands the
 * event to sinks that return at once. Not for slow work such as diffing; that belongs behind a sink.
 */
@FunctionalInterface
public interface TeeEventHandler {

  void onTeeEvent(TeeEvent event);
}
