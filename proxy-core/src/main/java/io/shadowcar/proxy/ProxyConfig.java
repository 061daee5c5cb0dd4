package io.shadowcar.proxy;

import io.shadowcar.common.config.InvalidValueException;
import io.shadowcar.proxy.tls.ServerTls;
import io.shadowcar.proxy.tls.UpstreamTls;
import io.shadowcar.proxy.upstream.BreakerConfig;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Settings of the traffic port and of the client that forwards to the primary. Immutable and validated on
 * construction; the launcher binds the {@code shadowcar.proxy.*} / {@code shadowcar.primary.*} keys to it.
 *
 * <p>Not for per-request decisions (what to copy, where to): those belong to the tee router's config.
 *
 * @param host interface the traffic port binds to
 * @param port traffic port; {@code 0} picks a free port (see {@link ProxyServer#actualPort()})
 * @param primaryTimeoutMs how long the primary may take to answer: from the end of the forwarded request body (and,
 *     before that, for getting a connection) until its response head arrives; over it the caller gets 504. An upload
 *     in progress is not limited by it (its pace is the caller's; {@code idleTimeoutMs} catches a stalled one)
 * @param connectTimeoutMs TCP connect timeout towards a primary; a failed connect answers 502
 * @param maxPoolSizePerTarget keep-alive connections per primary target and per event loop
 * @param keepAlive whether connections to the primaries are kept alive and pooled
 * @param maxHeaderBytes largest request head (all header lines) accepted from callers; over it 431
 * @param maxInitialLineLength longest request line accepted from callers; over it 414
 * @param idleTimeoutMs a caller connection, or a pooled primary connection, with no traffic for this long is closed;
 *     {@code 0} disables it. Must exceed {@code primaryTimeoutMs} so a slow primary gets a 504, not a silent close
 * @param drainTimeoutMs on shutdown, how long in-flight exchanges may take to finish before connections are closed
 * @param breaker the circuit breaker kept per primary target
 * @param eventLoops how many server+client pairs (one per event loop) serve the port
 * @param h2cUpgrade whether an HTTP/1.1 request with {@code Upgrade: h2c} switches its connection to HTTP/2 (off:
 *     the request is served over HTTP/1.1 and the upgrade ignored); prior-knowledge HTTP/2 is accepted either way
 * @param serverTls TLS on the traffic port (certificate and key files, reloaded on change); empty = plain TCP
 * @param primaryTls how {@code https://} primaries are trusted
 * @param tunnels limits of the byte-for-byte tunnels opened for other {@code Upgrade} requests (WebSocket)
 * @param callers what callers may hold: connections, header and body timeouts, bodies read ahead of the primary
 * @param notReadyDelayMs on shutdown, how long the port keeps serving normally after the instance turned not ready
 *     (so that balancers stop sending) before the drain begins. Waited by whoever stops the server (the launcher's
 *     stop sequence); {@link ProxyServer#shutdown()} itself starts the drain at once
 */
public record ProxyConfig(
    String host,
    int port,
    long primaryTimeoutMs,
    int connectTimeoutMs,
    int maxPoolSizePerTarget,
    boolean keepAlive,
    int maxHeaderBytes,
    int maxInitialLineLength,
    long idleTimeoutMs,
    long drainTimeoutMs,
    BreakerConfig breaker,
    int eventLoops,
    boolean h2cUpgrade,
    Optional<ServerTls> serverTls,
    UpstreamTls primaryTls,
    TunnelConfig tunnels,
    CallerLimits callers,
    long notReadyDelayMs) {

  public static final String DEFAULT_HOST = "0.0.0.0";
  public static final int DEFAULT_PORT = 7000;
  public static final long DEFAULT_PRIMARY_TIMEOUT_MS = 30_000;
  public static final int DEFAULT_CONNECT_TIMEOUT_MS = 2_000;
  public static final int DEFAULT_MAX_POOL_SIZE_PER_TARGET = 128;
  public static final int DEFAULT_MAX_HEADER_BYTES = 8 * 1024;
  public static final int DEFAULT_MAX_INITIAL_LINE_LENGTH = 4096;
  public static final long DEFAULT_IDLE_TIMEOUT_MS = 60_000;
  /** Shutdown drain in seconds, the unit of its key {@code shadowcar.proxy.drainSeconds}. */
  public static final long DEFAULT_DRAIN_SECONDS = 10;
  public static final boolean DEFAULT_H2C_UPGRADE = false;
  public static final long DEFAULT_NOT_READY_DELAY_MS = 5_000;
  public static final long MAX_NOT_READY_DELAY_MS = 600_000;

  public ProxyConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(breaker, "breaker");
    Objects.requireNonNull(serverTls, "serverTls");
    Objects.requireNonNull(primaryTls, "primaryTls");
    Objects.requireNonNull(tunnels, "tunnels");
    Objects.requireNonNull(callers, "callers");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host: blank (expected: an interface address such as 0.0.0.0)");
    }
    check("port", port, port >= 0 && port <= 65535, ">= 0 and <= 65535");
    check("primaryTimeoutMs", primaryTimeoutMs, primaryTimeoutMs > 0, "> 0");
    check("connectTimeoutMs", connectTimeoutMs, connectTimeoutMs > 0, "> 0");
    check("maxPoolSizePerTarget", maxPoolSizePerTarget, maxPoolSizePerTarget > 0, "> 0");
    check("maxHeaderBytes", maxHeaderBytes, maxHeaderBytes >= 1024, ">= 1024");
    check("maxInitialLineLength", maxInitialLineLength, maxInitialLineLength >= 256, ">= 256");
    check("idleTimeoutMs", idleTimeoutMs, idleTimeoutMs == 0 || idleTimeoutMs > primaryTimeoutMs,
        "0 or > primaryTimeoutMs " + primaryTimeoutMs);
    check("drainTimeoutMs", drainTimeoutMs, drainTimeoutMs >= 0, ">= 0");
    check("eventLoops", eventLoops, eventLoops > 0 && eventLoops <= 256, "> 0 and <= 256");
    check("notReadyDelayMs", notReadyDelayMs, notReadyDelayMs >= 0 && notReadyDelayMs <= MAX_NOT_READY_DELAY_MS,
        ">= 0 and <= " + MAX_NOT_READY_DELAY_MS);
  }

  /**
   * The documented key defaults ({@code 0.0.0.0:7000}, 30 s primary timeout, 10 s drain after 5 s not ready, one
   * event loop per core, {@link CallerLimits#defaults()}),
   * for tests and for embedding proxy-core without the launcher, which binds its keys instead. Each value is written
   * once, as a {@code DEFAULT_*} constant above, for the launcher's key declarations to refer to.
   */
  public static ProxyConfig defaults() {
    return new ProxyConfig(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_PRIMARY_TIMEOUT_MS, DEFAULT_CONNECT_TIMEOUT_MS,
        DEFAULT_MAX_POOL_SIZE_PER_TARGET, true, DEFAULT_MAX_HEADER_BYTES, DEFAULT_MAX_INITIAL_LINE_LENGTH,
        DEFAULT_IDLE_TIMEOUT_MS, TimeUnit.SECONDS.toMillis(DEFAULT_DRAIN_SECONDS), BreakerConfig.defaults(),
        Runtime.getRuntime().availableProcessors(), DEFAULT_H2C_UPGRADE, Optional.empty(), UpstreamTls.defaults(),
        TunnelConfig.defaults(), CallerLimits.defaults(), DEFAULT_NOT_READY_DELAY_MS);
  }

  public ProxyConfig withListen(String newHost, int newPort) {
    return new ProxyConfig(newHost, newPort, primaryTimeoutMs, connectTimeoutMs, maxPoolSizePerTarget, keepAlive,
        maxHeaderBytes, maxInitialLineLength, idleTimeoutMs, drainTimeoutMs, breaker, eventLoops, h2cUpgrade, serverTls,
        primaryTls, tunnels, callers, notReadyDelayMs);
  }

  public ProxyConfig withH2cUpgrade(boolean enabled) {
    return new ProxyConfig(host, port, primaryTimeoutMs, connectTimeoutMs, maxPoolSizePerTarget, keepAlive,
        maxHeaderBytes, maxInitialLineLength, idleTimeoutMs, drainTimeoutMs, breaker, eventLoops, enabled, serverTls,
        primaryTls, tunnels, callers, notReadyDelayMs);
  }

  /** TLS on the traffic port, and how {@code https://} primaries are trusted. */
  public ProxyConfig withTls(Optional<ServerTls> server, UpstreamTls primary) {
    return new ProxyConfig(host, port, primaryTimeoutMs, connectTimeoutMs, maxPoolSizePerTarget, keepAlive,
        maxHeaderBytes, maxInitialLineLength, idleTimeoutMs, drainTimeoutMs, breaker, eventLoops, h2cUpgrade, server,
        primary, tunnels, callers, notReadyDelayMs);
  }

  public ProxyConfig withTunnels(TunnelConfig newTunnels) {
    return new ProxyConfig(host, port, primaryTimeoutMs, connectTimeoutMs, maxPoolSizePerTarget, keepAlive,
        maxHeaderBytes, maxInitialLineLength, idleTimeoutMs, drainTimeoutMs, breaker, eventLoops, h2cUpgrade, serverTls,
        primaryTls, newTunnels, callers, notReadyDelayMs);
  }

  public ProxyConfig withCallers(CallerLimits limits) {
    return new ProxyConfig(host, port, primaryTimeoutMs, connectTimeoutMs, maxPoolSizePerTarget, keepAlive,
        maxHeaderBytes, maxInitialLineLength, idleTimeoutMs, drainTimeoutMs, breaker, eventLoops, h2cUpgrade, serverTls,
        primaryTls, tunnels, limits, notReadyDelayMs);
  }

  static void check(String name, long value, boolean valid, String expected) {
    if (!valid) {
      throw new InvalidValueException(name, value, expected);
    }
  }
}
