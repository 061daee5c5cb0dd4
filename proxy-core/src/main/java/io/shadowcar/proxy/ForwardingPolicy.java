package io.shadowcar.proxy;

import io.netty.util.AsciiString;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the traffic port believes and removes in a caller's request head before forwarding it. Immutable; swapped as a
 * whole at runtime ({@link ProxyServer#updateForwarding}), so a request sees one policy from start to end.
 *
 * @param trustedProxies peers whose {@code X-Forwarded-*} / {@code Forwarded} headers are kept (and appended to);
 *     from anyone else they are replaced by what the proxy sees
 * @param removedCallerHeaders header names no caller may send to the primary, compared case-insensitively: e.g. the
 *     shadow marker ({@code X-Shadow-Request}), which only copies may carry
 */
public record ForwardingPolicy(TrustedProxies trustedProxies, Set<String> removedCallerHeaders) {

  private static final ForwardingPolicy DEFAULTS = new ForwardingPolicy(TrustedProxies.none(), Set.of());

  public ForwardingPolicy {
    Objects.requireNonNull(trustedProxies, "trustedProxies");
    TreeSet<String> names = new TreeSet<>();
    for (String name : Objects.requireNonNull(removedCallerHeaders, "removedCallerHeaders")) {
      names.add(name.trim().toLowerCase(Locale.ROOT));
    }
    removedCallerHeaders = Set.copyOf(names);
  }

  /** Nobody trusted, nothing removed beyond the proxy's own rules. */
  public static ForwardingPolicy defaults() {
    return DEFAULTS;
  }

  /** True when callers may not send {@code name} (any case); a loop over a handful of names, no allocation. */
  boolean removes(CharSequence name) {
    for (String removed : removedCallerHeaders) {
      if (removed.length() == name.length() && AsciiString.contentEqualsIgnoreCase(removed, name)) {
        return true;
      }
    }
    return false;
  }
}
