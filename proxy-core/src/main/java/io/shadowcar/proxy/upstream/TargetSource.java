package io.shadowcar.proxy.upstream;

import io.shadowcar.common.target.TargetUrl;
import java.util.List;

/**
 * Where a cluster's instances are right now: a static list from config, or the UP instances of a Eureka VIP refreshed
 * in the background. Every entry was parsed by {@link TargetUrl}, the one parser of target URLs, so whatever a source
 * lists can be used.
 *
 * <p>{@link #targets()} is read on the event loop for every request, so it must return a cached immutable list
 * without blocking (e.g. a volatile field swapped by a background refresh). An empty list means "no instance
 * available" and the caller answers 502 (primary) or drops the copy (shadow).
 */
@FunctionalInterface
public interface TargetSource {

  /** The instances to use now ({@code http://}, {@code https://} or {@code h2c://} base URLs). */
  List<TargetUrl> targets();

  /** A fixed list, e.g. from {@code shadowcar.primary.targets=http://127.0.0.1:8080,https://10.0.0.5:8443}. */
  static TargetSource of(List<TargetUrl> targets) {
    List<TargetUrl> copy = List.copyOf(targets);
    return () -> copy;
  }

  /** A fixed list parsed from base URLs; throws {@link IllegalArgumentException} for one that is not a target. */
  static TargetSource parse(String... urls) {
    return of(java.util.Arrays.stream(urls).map(TargetUrl::parse).toList());
  }
}
