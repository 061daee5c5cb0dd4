package io.shadowcar.tee;

import java.util.Set;

/**
 * Receives each copy the router decided to make, at the end of the caller's request body, on the caller's event loop.
 *
 * <p>It owns one hold on the event (see {@link TeeEvent#release()}) and must neither block nor throw: it hands the
 * event to sinks that return at once. Not for slow work such as diffing; that belongs behind a sink.
 */
@FunctionalInterface
public interface TeeEventHandler {

  void onTeeEvent(TeeEvent event);

  /**
   * Asked at the request head, before anything is captured: why a copy for {@code sinks} would be dropped right now
   * (every sink full, open or without a target), or {@code null} when it may be taken. Must be a few volatile reads:
   * never block, never count (the router counts the reason it gets). It lets a stuck or dead shadow cost a request one
   * check instead of a capture that would be thrown away. The answer is a hint: {@link #onTeeEvent} still applies
   * every bound.
   */
  default DropReason refusal(Set<String> sinks) {
    return null;
  }

  /**
   * Whether anything behind {@code sinks} (a sink, or an exchange listener) reads the primary's response body. Asked
   * once per route when a config is installed, never per request: when no one reads it, the router captures no
   * response body for that route (status and headers only), which saves copying and budget on every teed response.
   * The default says yes, the safe answer.
   */
  default boolean readsPrimaryResponse(Set<String> sinks) {
    return true;
  }
}
