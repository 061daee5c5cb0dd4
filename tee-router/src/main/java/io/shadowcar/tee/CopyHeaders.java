package io.shadowcar.tee;

import io.shadowcar.common.headers.HeaderNames;
import io.shadowcar.common.headers.HeaderTokens;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Rewrites a forwarded request's headers into the copy's: hop-by-hop headers (and those {@code Connection} names),
 * configured names and (unless the route forwards them) the caller's credentials removed, {@code Content-Length} left
 * to the sink (it sends the whole body), {@code Expect} dropped (the body is already complete, there is nothing to
 * negotiate), the marker set to {@code true}, {@code X-Request-Id} set to the primary's, Host given the suffix.
 * {@code TE: trailers} stays (the proxy passes on only that value): the sink reads trailers, and gRPC servers expect
 * it. Compiled once per config; name checks are case-insensitive without lower-casing (no per-header allocation).
 */
final class CopyHeaders {

  static final String REQUEST_ID = "X-Request-Id";
  private static final List<String> ALWAYS_REMOVED = List.of(
      "connection", "keep-alive", "trailer", "transfer-encoding", "upgrade", "proxy-connection",
      "proxy-authenticate", "proxy-authorization", "content-length", "expect", REQUEST_ID);

  private final HeaderNames removed;
  private final String marker;
  private final String hostSuffix;

  CopyHeaders(TeeConfig config, boolean forwardCredentials) {
    List<String> names = new ArrayList<>(ALWAYS_REMOVED);
    names.addAll(config.stripHeaders());
    if (!forwardCredentials) {
      names.addAll(config.credentialHeaders());
    }
    names.add(config.markerHeader());
    this.removed = HeaderNames.of(names);
    this.marker = config.markerHeader();
    this.hostSuffix = config.hostSuffix();
  }

  List<Map.Entry<String, String>> rewrite(MultiMap forwarded, String requestId) {
    Set<String> named = connectionNamed(forwarded);
    // not sized by forwarded.size(): Vert.x's header map counts its distinct names by building a set of them
    List<Map.Entry<String, String>> out = new ArrayList<>(16);
    for (Map.Entry<String, String> e : forwarded) {
      String name = e.getKey();
      if (removed.contains(name) || name.regionMatches(true, 0, "proxy-", 0, 6) || named.contains(name)) {
        continue;
      }
      if (name.equalsIgnoreCase("host")) {
        out.add(Map.entry(name, withSuffix(e.getValue(), hostSuffix)));
      } else {
        out.add(Map.entry(name, e.getValue()));
      }
    }
    out.add(Map.entry(REQUEST_ID, requestId));
    out.add(Map.entry(marker, "true"));
    return out;
  }

  private static Set<String> connectionNamed(MultiMap headers) {
    List<String> values = headers.getAll("connection");
    if (values.isEmpty()) {
      return Set.of();
    }
    TreeSet<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    for (String value : values) {
      HeaderTokens.forEachElement(value, names::add);
    }
    return names;
  }

  /** {@code api.example:8080} + {@code -shadow} gives {@code api.example-shadow:8080}; IPv6 literals keep the port. */
  static String withSuffix(String host, String suffix) {
    if (suffix.isEmpty()) {
      return host;
    }
    int portColon = host.startsWith("[") ? host.indexOf(':', host.indexOf(']')) : host.indexOf(':');
    return portColon < 0 ? host + suffix : host.substring(0, portColon) + suffix + host.substring(portColon);
  }
}
