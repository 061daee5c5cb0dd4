package io.shadowcar.tee;

import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites a forwarded request's headers into the copy's: hop-by-hop headers (and those {@code Connection} names) and
 * configured names removed, {@code Content-Length} left to the sink (it sends the whole body), {@code Expect} dropped
 * (the body is already complete, there is nothing to negotiate), the marker set to
 * {@code true}, {@code X-Request-Id} set to the primary's, Host given the suffix.
 */
final class CopyHeaders {

  static final String REQUEST_ID = "X-Request-Id";
  private static final Set<String> HOP_BY_HOP = Set.of(
      "connection", "keep-alive", "te", "trailer", "transfer-encoding", "upgrade", "proxy-connection",
      "proxy-authenticate", "proxy-authorization", "content-length", "expect");

  private CopyHeaders() {}

  static List<Map.Entry<String, String>> rewrite(MultiMap forwarded, String requestId, TeeConfig config) {
    Set<String> named = connectionNamed(forwarded);
    String marker = config.markerHeader();
    List<Map.Entry<String, String>> out = new ArrayList<>(forwarded.size() + 2);
    for (Map.Entry<String, String> e : forwarded) {
      String name = e.getKey();
      String lower = name.toLowerCase(Locale.ROOT);
      if (HOP_BY_HOP.contains(lower) || lower.startsWith("proxy-") || named.contains(lower)
          || config.stripHeaders().contains(lower) || lower.equalsIgnoreCase(marker)
          || lower.equals("x-request-id")) {
        continue;
      }
      if (lower.equals("host")) {
        out.add(Map.entry(name, withSuffix(e.getValue(), config.hostSuffix())));
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
    java.util.HashSet<String> names = new java.util.HashSet<>();
    for (String value : values) {
      for (String token : value.split(",")) {
        String t = token.trim().toLowerCase(Locale.ROOT);
        if (!t.isEmpty()) {
          names.add(t);
        }
      }
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
