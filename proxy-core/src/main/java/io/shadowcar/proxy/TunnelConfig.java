package io.shadowcar.proxy;

/**
 * Limits of the tunnels the traffic port opens for HTTP/1.1 {@code Upgrade} requests (WebSocket and other
 * protocols, never {@code h2c}): once the primary answers 101 the caller's and the primary's connections are spliced
 * byte for byte.
 *
 * @param max open tunnels allowed at once over the whole port; an upgrade over it gets 503. {@code 0} turns tunnels
 *     off: an upgrade request is then forwarded as a plain request without {@code Upgrade}
 * @param idleTimeoutMs a tunnel that carried no byte in either direction for this long is closed (both connections);
 *     it replaces the port's idle timeout for the connections it splices
 */
public record TunnelConfig(int max, long idleTimeoutMs) {

  public static final int DEFAULT_MAX = 1024;
  public static final long DEFAULT_IDLE_TIMEOUT_MS = 300_000;

  public TunnelConfig {
    ProxyConfig.check("tunnels.max", max, max >= 0 && max <= 1_000_000, ">= 0 and <= 1000000");
    ProxyConfig.check("tunnels.idleTimeoutMs", idleTimeoutMs, idleTimeoutMs > 0, "> 0");
  }

  public static TunnelConfig defaults() {
    return new TunnelConfig(DEFAULT_MAX, DEFAULT_IDLE_TIMEOUT_MS);
  }

  /** Whether upgrade requests are tunnelled at all. */
  public boolean enabled() {
    return max > 0;
  }
}
