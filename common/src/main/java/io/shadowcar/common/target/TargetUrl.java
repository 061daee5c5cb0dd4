package io.shadowcar.common.target;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;

/**
 * One upstream instance's base URL, parsed once: the only parser of target URLs. Config validation
 * ({@code --check-config}, dynamic reloads), the primary client, the HTTP shadow sink (candidates and secondaries)
 * and Eureka discovery all go through {@link #parse} or {@link #of}, so a form that validates is a form that runs.
 *
 * <p>Accepted: {@code http://}, {@code https://} or {@code h2c://}, a host (name, IPv4, or bracketed IPv6), an optional
 * port 1-65535 (default by scheme: 80, 443, 80) and an optional path prefix prepended to every forwarded request.
 * Refused: other schemes, user info (credentials do not belong in a target list), a query or a fragment.
 *
 * @param uri the URL as written (its string form is what logs and the admin page show)
 * @param protocol how to speak to it
 * @param host where to connect: a name or an IP literal, IPv6 without brackets
 * @param port where to connect, the scheme's default filled in
 * @param pathPrefix raw path prepended to each request target, without a trailing slash ({@code ""} for none)
 */
public record TargetUrl(URI uri, TargetProtocol protocol, String host, int port, String pathPrefix) {

  /** The accepted forms, for error messages and the configuration reference. */
  public static final String FORMS = "http://, https:// or h2c://host[:port][/prefix]";

  public TargetUrl {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(pathPrefix, "pathPrefix");
  }

  /**
   * Parses a base URL as written in config ({@code https://orders.internal:8443/api}).
   *
   * @throws IllegalArgumentException {@code target: 'ftp://x' (expected: ...)} when the text is not an accepted form
   */
  public static TargetUrl parse(String text) {
    String raw = text == null ? "" : text.strip();
    try {
      return of(new URI(raw));
    } catch (URISyntaxException e) {
      throw invalid(raw);
    }
  }

  /**
   * A URL built by code (e.g. from a Eureka instance), held to the same rules as {@link #parse}.
   *
   * @throws IllegalArgumentException when the URL is not an accepted form
   */
  public static TargetUrl of(URI uri) {
    TargetProtocol protocol = TargetProtocol.ofScheme(uri.getScheme());
    String host = uri.getHost();
    int port = uri.getPort() < 0 ? protocol == null ? -1 : protocol.defaultPort() : uri.getPort();
    if (protocol == null || uri.isOpaque() || host == null || host.isEmpty() || uri.getRawUserInfo() != null
        || uri.getRawQuery() != null || uri.getRawFragment() != null || port < 1 || port > 65535) {
      throw invalid(uri.toString());
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new TargetUrl(uri, protocol, host, port, prefixOf(uri.getRawPath()));
  }

  private static String prefixOf(String path) {
    int end = path == null ? 0 : path.length();
    while (end > 0 && path.charAt(end - 1) == '/') {
      end--;
    }
    return end == 0 ? "" : path.substring(0, end);
  }

  private static IllegalArgumentException invalid(String raw) {
    return new IllegalArgumentException("target: '" + raw + "' (expected: " + FORMS + ")");
  }

  /** Whether connections to it are TLS. */
  public boolean tls() {
    return protocol.tls();
  }

  /** Whether the host is an IPv4 or IPv6 literal rather than a name (no DNS name is all digits and dots). */
  public boolean ipLiteral() {
    if (host.indexOf(':') >= 0) {
      return true; // IPv6: no name has a colon
    }
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (c != '.' && (c < '0' || c > '9')) {
        return false;
      }
    }
    return true;
  }

  /** {@code host:port} with an IPv6 host in brackets, as in a Host header or a log line. */
  public String authority() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /** The URL as written. */
  @Override
  public String toString() {
    return uri.toString();
  }
}
