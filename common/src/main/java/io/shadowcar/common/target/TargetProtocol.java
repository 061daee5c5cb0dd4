package io.shadowcar.common.target;

import java.util.Locale;

/**
 * How an upstream is spoken to, read from its base URL's scheme. Every module that sends to a target (the primary
 * client, the HTTP shadow sink for candidates and secondaries) keeps one client per protocol and picks it by
 * {@link #ordinal()}, so a request pays no lookup.
 */
public enum TargetProtocol {

  /** {@code http://}: HTTP/1.1 over plain TCP. */
  HTTP("http", 80, false),
  /**
   * {@code https://}: TLS, trusting the JVM's CAs or a configured bundle, with SNI and hostname verification unless
   * turned off. ALPN may offer {@code h2} and {@code http/1.1}; what a client offers is its own choice.
   */
  HTTPS("https", 443, true),
  /** {@code h2c://}: HTTP/2 over plain TCP with prior knowledge (no Upgrade), as gRPC servers without TLS expect. */
  H2C("h2c", 80, false);

  private final String scheme;
  private final int defaultPort;
  private final boolean tls;

  TargetProtocol(String scheme, int defaultPort, boolean tls) {
    this.scheme = scheme;
    this.defaultPort = defaultPort;
    this.tls = tls;
  }

  /** The URL scheme, lower case. */
  public String scheme() {
    return scheme;
  }

  /** The port a URL without one means. */
  public int defaultPort() {
    return defaultPort;
  }

  /** Whether connections are TLS. */
  public boolean tls() {
    return tls;
  }

  /** The protocol of a scheme (any case), or {@code null} for a scheme no target may use. */
  public static TargetProtocol ofScheme(String scheme) {
    if (scheme == null) {
      return null;
    }
    String lower = scheme.toLowerCase(Locale.ROOT);
    for (TargetProtocol protocol : values()) {
      if (protocol.scheme.equals(lower)) {
        return protocol;
      }
    }
    return null;
  }
}
