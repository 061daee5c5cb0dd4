package io.shadowcar.proxy.upstream;

import java.net.URI;
import java.util.List;

/**
 * Where a cluster's instances are right now: a static list from config, or the UP instances of a Eureka VIP refreshed
 * in the background.
 *
 * <p>{@link #targets()} is read on the event loop for every request, so it must return a cached immutable list
 * without blocking (e.g. a volatile field swapped by a background refresh). An empty list means "no instance
 * available" and the caller answers 502 (primary) or drops the copy (shadow).
 */
@FunctionalInterface
public interface TargetSource {

  /** Base URLs ({@code http://host:port}, optionally with a path prefix) of the instances to use now. */
  List<URI> targets();

  /** A fixed list, e.g. from {@code shadowcar.primary.targets=http://127.0.0.1:8080,http://127.0.0.1:8081}. */
  static TargetSource of(List<URI> targets) {
    List<URI> copy = List.copyOf(targets);
    return () -> copy;
  }
}
