package io.shadowcar.proxy;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.shadowcar.proxy.tap.TrafficTap;
import io.shadowcar.proxy.upstream.TargetBalancer;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import java.util.concurrent.TimeUnit;

/**
 * One event loop's share of the traffic port: an HTTP server (sharing the port with the other instances) and its
 * own pooled client to the primaries, so a request never leaves the loop that accepted it.
 */
final class ProxyVerticle extends VerticleBase implements Handler<HttpServerRequest> {

  private final ProxyConfig config;
  private final int port;
  private final TargetBalancer balancer;
  private final TrafficTap tap;
  private final ProxyMetrics metrics;
  private HttpClient client;
  private LoopContext loop;
  private HttpServer server;
  private long sweepTimer = -1;

  ProxyVerticle(ProxyConfig config, int port, TargetBalancer balancer, TrafficTap tap, ProxyMetrics metrics) {
    this.config = config;
    this.port = port;
    this.balancer = balancer;
    this.tap = tap;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    client = vertx.createHttpClient(clientOptions(config),
        new PoolOptions().setHttp1MaxSize(config.maxPoolSizePerTarget()));
    DeadlineQueue deadlines = new DeadlineQueue(TimeUnit.MILLISECONDS.toNanos(config.primaryTimeoutMs()));
    loop = new LoopContext(client, deadlines, balancer, metrics, tap);
    long sweepMs = Math.max(1, Math.min(100, config.primaryTimeoutMs() / 10));
    sweepTimer = vertx.setPeriodic(sweepMs, id -> deadlines.expire(System.nanoTime()));
    server = vertx.createHttpServer(serverOptions(config))
        .requestHandler(this)
        .invalidRequestHandler(this::rejectInvalid);
    return server.listen(port, config.host());
  }

  @Override
  public Future<?> stop() {
    return server.shutdown(config.drainTimeoutMs(), TimeUnit.MILLISECONDS)
        .eventually(() -> {
          vertx.cancelTimer(sweepTimer);
          return client.close();
        });
  }

  int actualPort() {
    return server.actualPort();
  }

  @Override
  public void handle(HttpServerRequest request) {
    new Exchange(loop, request).start();
  }

  /** A request Netty could not decode: answered here, counted, and its connection closed. */
  private void rejectInvalid(HttpServerRequest request) {
    long start = System.nanoTime();
    metrics.exchangeStarted();
    Throwable cause = request.decoderResult().cause();
    ProxyError error;
    int status;
    if (cause instanceof TooLongHttpHeaderException) {
      error = ProxyError.HEADERS_TOO_LARGE;
      status = error.status();
    } else if (cause instanceof TooLongHttpLineException) {
      error = ProxyError.MALFORMED;
      status = 414;
    } else {
      error = ProxyError.MALFORMED;
      status = error.status();
    }
    metrics.error(error);
    metrics.exchangeEnded(ProxyMetrics.Outcome.ERROR, status, System.nanoTime() - start);
    Buffer body = Buffer.buffer(status == 414 ? "request line too long\n" : error.body());
    request.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
        .putHeader(HttpHeaders.CONNECTION, "close")
        .end(body)
        .onComplete(ar -> request.connection().close());
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
        .setHttp2ClearTextEnabled(true)
        .setStrictThreadMode(true);
  }

  static HttpClientOptions clientOptions(ProxyConfig config) {
    return new HttpClientOptions()
        .setProtocolVersion(HttpVersion.HTTP_1_1)
        .setKeepAlive(config.keepAlive())
        .setKeepAliveTimeout((int) Math.max(1, config.idleTimeoutMs() / 1000))
        .setPipelining(false)
        .setTcpNoDelay(true)
        .setConnectTimeout(config.connectTimeoutMs())
        .setDecompressionSupported(false)
        .setMaxHeaderSize(Math.max(config.maxHeaderBytes(), HttpClientOptions.DEFAULT_MAX_HEADER_SIZE));
  }
}
