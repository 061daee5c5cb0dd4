package io.shadowcar.proxy;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.shadowcar.proxy.tap.TrafficTap;
import io.shadowcar.proxy.tls.PemFiles;
import io.shadowcar.proxy.tls.ServerTls;
import io.shadowcar.proxy.upstream.Http1Connections;
import io.shadowcar.proxy.upstream.TargetBalancer;
import io.shadowcar.proxy.upstream.UpstreamClients;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.impl.ProxyHttp2Access;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One event loop's share of the traffic port: an HTTP server (sharing the port with the other instances) and its
 * own pooled clients to the primaries, so a request never leaves the loop that accepted it. With TLS on the port,
 * ALPN picks HTTP/2 (Vert.x's HTTP/2 connection) or HTTP/1.1 (the strict pipeline, as in cleartext).
 */
final class ProxyVerticle extends VerticleBase implements Handler<HttpServerRequest> {

  private static final Logger LOG = LoggerFactory.getLogger(ProxyVerticle.class);

  private final ProxyConfig config;
  private final int port;
  private final TargetBalancer balancer;
  private final TrafficTap tap;
  private final ProxyMetrics metrics;
  private final Supplier<ForwardingPolicy> forwarding;
  private final UpstreamFailure failures;
  private final TunnelLimit tunnels;
  /** The certificate and key the port starts with, {@code null} for plain TCP. */
  private final PemFiles.KeyCertPair tls;
  private final ConnectionLimit connections;
  private final RequestBuffers buffers;
  private final ListeningSocket listening;
  private UpstreamClients clients;
  /** Connections that may become tunnels: a pool of their own, so tunnels never take the slots of plain requests. */
  private UpstreamClients upgradeClients;
  private LoopContext loop;
  private HttpServer server;
  private HttpServerOptions serverOptions;
  private ProxyHttp2Access http2;
  private StrictPipeline pipeline;
  private long sweepTimer = -1;
  private Http1Connections pool;

  ProxyVerticle(ProxyConfig config, int port, TargetBalancer balancer, TrafficTap tap, ProxyMetrics metrics,
      UpstreamFailure failures, PemFiles.KeyCertPair tls, TunnelLimit tunnels, Supplier<ForwardingPolicy> forwarding,
      ConnectionLimit connections, RequestBuffers buffers, ListeningSocket listening) {
    this.forwarding = forwarding;
    this.failures = failures;
    this.config = config;
    this.tls = tls;
    this.tunnels = tunnels;
    this.port = port;
    this.balancer = balancer;
    this.tap = tap;
    this.metrics = metrics;
    this.connections = connections;
    this.buffers = buffers;
    this.listening = listening;
  }

  @Override
  public Future<?> start() {
    try {
      prepare();
    } catch (RuntimeException | Error e) {
      listening.serverFailed(e);
      throw e;
    }
    // listens only once every server has an event loop of its own (see ListeningSocket)
    return listening.claimLoop((ContextInternal) context)
        .compose(claimed -> server.listen(port, config.host()))
        .onSuccess(bound -> listening.serverListening());
  }

  /** The clients, the deadline sweep and the server, not yet listening. */
  private void prepare() {
    clients = UpstreamClients.create(vertx, clientOptions(config),
        new PoolOptions().setHttp1MaxSize(config.maxPoolSizePerTarget()), config.primaryTls());
    // keep-alive on, or the client would send Connection: close instead of Upgrade; a declined upgrade's connection
    // is closed by the exchange, never reused
    upgradeClients = UpstreamClients.create(vertx, clientOptions(config),
        new PoolOptions().setHttp1MaxSize(Math.max(1, config.tunnels().max())), config.primaryTls());
    CallerLimits limits = config.callers();
    DeadlineQueue deadlines = new DeadlineQueue(TimeUnit.MILLISECONDS.toNanos(config.primaryTimeoutMs()));
    long bodyIdleMs = limits.bodyIdleTimeoutMs();
    DeadlineQueue bodyIdle = bodyIdleMs == 0 ? null : new DeadlineQueue(TimeUnit.MILLISECONDS.toNanos(bodyIdleMs));
    pool = new Http1Connections((VertxInternal) vertx, ((ContextInternal) context).nettyEventLoop(),
        clientOptions(config), config.maxPoolSizePerTarget(), config.keepAlive(),
        Math.max(1000, config.idleTimeoutMs()));
    loop = new LoopContext(vertx, clients, pool, config.keepAlive(), upgradeClients, deadlines, bodyIdle, balancer,
        limits, buffers, metrics, failures, tunnels, tap, forwarding);
    long shortest = bodyIdleMs == 0 ? config.primaryTimeoutMs() : Math.min(config.primaryTimeoutMs(), bodyIdleMs);
    long sweepMs = DeadlineQueue.sweepPeriodMs(shortest);
    sweepTimer = vertx.setPeriodic(sweepMs, id -> {
      long now = System.nanoTime();
      deadlines.expire(now);
      pool.expireIdle(now);
      if (bodyIdle != null) {
        bodyIdle.expire(now);
      }
    });
    serverOptions = serverOptions(config);
    if (tls != null) {
      ServerTls.apply(serverOptions, tls);
    }
    pipeline = new StrictPipeline(serverOptions, config.h2cUpgrade(), this::http2, connections,
        listening, limits.headerTimeoutMs(), metrics);
    server = vertx.createHttpServer(serverOptions)
        .requestHandler(this)
        .invalidRequestHandler(this::rejectInvalid)
        .connectionHandler(pipeline::install);
  }

  /** Vert.x's HTTP/2 wiring for this server, built on first use (it needs the bound port). */
  private ProxyHttp2Access http2() {
    if (http2 == null) {
      http2 = new ProxyHttp2Access(server, serverOptions, (ContextInternal) context,
          (tls == null ? "http://" : "https://") + config.host() + ":" + server.actualPort(), this, this::rejectInvalid,
          pipeline::install, e -> LOG.debug("HTTP/2 connection failure", e));
    }
    return http2;
  }

  @Override
  public Future<?> stop() {
    return server.shutdown(config.drainTimeoutMs(), TimeUnit.MILLISECONDS)
        .eventually(() -> {
          vertx.cancelTimer(sweepTimer);
          return Future.join(pool.close(), clients.close(), upgradeClients.close());
        });
  }

  int actualPort() {
    return server.actualPort();
  }

  /** This instance's server; any instance's updates the certificate of the port they share. */
  HttpServer server() {
    return server;
  }

  @Override
  public void handle(HttpServerRequest request) {
    new Exchange(loop, request).start();
  }

  /** A request the decoder refused (see {@link Rejection}): answered here, counted, and its connection closed. */
  private void rejectInvalid(HttpServerRequest request) {
    long start = System.nanoTime();
    metrics.exchangeStarted();
    Rejection rejection = rejectionOf(request.decoderResult().cause());
    metrics.rejected(rejection);
    metrics.exchangeEnded(ProxyMetrics.Outcome.ERROR, rejection.status(), System.nanoTime() - start);
    request.response()
        .setStatusCode(rejection.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
        .putHeader(HttpHeaders.CONNECTION, "close")
        .putHeader(ForwardedHeaders.X_REQUEST_ID, RequestIds.choose(callerRequestId(request)))
        .end(Buffer.buffer(rejection.body()))
        .onComplete(ar -> request.connection().close());
  }

  /** The caller's {@code X-Request-Id} of a request the decoder refused, when its headers were read that far. */
  private static String callerRequestId(HttpServerRequest request) {
    try {
      return request.headers().get(ForwardedHeaders.X_REQUEST_ID);
    } catch (RuntimeException unreadable) {
      return null;
    }
  }

  static Rejection rejectionOf(Throwable cause) {
    if (cause instanceof RejectedRequestException rejected) {
      return rejected.rejection();
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return Rejection.HEADERS_TOO_LARGE;
    }
    if (cause instanceof TooLongHttpLineException) {
      return Rejection.REQUEST_LINE_TOO_LONG;
    }
    return Rejection.MALFORMED;
  }

  static HttpServerOptions serverOptions(ProxyConfig config) {
    return new HttpServerOptions()
        .setHost(config.host())
        .setTcpNoDelay(true)
        .setMaxHeaderSize(config.maxHeaderBytes())
        .setMaxInitialLineLength(config.maxInitialLineLength())
        .setIdleTimeout((int) config.idleTimeoutMs())
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        .setHandle100ContinueAutomatically(false)
        .setCompressionSupported(false)
        .setDecompressionSupported(false)
        // Off: the proxy never ends a WebSocket itself (an upgrade is spliced byte for byte to the primary, whose
        // answer negotiates the extensions), so Vert.x's extension handler would only look at every request and
        // response that passes.
        .setPerFrameWebSocketCompressionSupported(false)
        .setPerMessageWebSocketCompressionSupported(false)
        // Off: Vert.x would decode each connection's first request before StrictPipeline could install the strict
        // decoder. StrictPipeline brings prior-knowledge HTTP/2 (and, when configured, Upgrade: h2c) back.
        .setHttp2ClearTextEnabled(false)
        .setStrictThreadMode(true);
  }

  static HttpClientOptions clientOptions(ProxyConfig config) {
    return new HttpClientOptions()
        .setKeepAlive(config.keepAlive())
        .setKeepAliveTimeout((int) Math.max(1, config.idleTimeoutMs() / 1000))
        .setPipelining(false)
        .setTcpNoDelay(true)
        .setConnectTimeout(config.connectTimeoutMs())
        .setDecompressionSupported(false)
        .setMaxHeaderSize(Math.max(config.maxHeaderBytes(), HttpClientOptions.DEFAULT_MAX_HEADER_SIZE));
  }
}
