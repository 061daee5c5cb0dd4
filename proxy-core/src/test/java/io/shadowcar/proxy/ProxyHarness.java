package io.shadowcar.proxy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shadowcar.common.target.TargetUrl;
import io.shadowcar.proxy.tap.TrafficTap;
import io.shadowcar.proxy.tls.UpstreamTls;
import io.shadowcar.proxy.upstream.BreakerConfig;
import io.shadowcar.proxy.upstream.TargetSource;
import io.shadowcar.testkit.SidecarTransport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** A Vert.x instance, a proxy under test on 127.0.0.1:0 and helpers to call it. Close it after each test. */
final class ProxyHarness implements AutoCloseable {

  final Vertx vertx;
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  ProxyServer proxy;
  HttpClient client;

  ProxyHarness() {
    this(new VertxOptions());
  }

  /**
   * With Vert.x options of the test's own, e.g. a hosts file mapping test names to 127.0.0.1; on the sidecar's
   * default transport, so the proxy is tested on what it runs on.
   */
  ProxyHarness(VertxOptions options) {
    vertx = SidecarTransport.vertx(options);
  }

  /** Two event loops, a breaker that never opens in ordinary tests, and the given timeouts. */
  static ProxyConfig config(long primaryTimeoutMs, long drainTimeoutMs, BreakerConfig breaker) {
    return config(primaryTimeoutMs, drainTimeoutMs, breaker, 8192, 60_000);
  }

  private static ProxyConfig config(long primaryTimeoutMs, long drainTimeoutMs, BreakerConfig breaker,
      int maxHeaderBytes, long idleTimeoutMs) {
    return new ProxyConfig("127.0.0.1", 0, primaryTimeoutMs, 2_000, 16, true, maxHeaderBytes, 4096, idleTimeoutMs,
        drainTimeoutMs, breaker, 2, false, Optional.empty(), UpstreamTls.defaults(), TunnelConfig.defaults(),
        CallerLimits.defaults(), 0);
  }

  static ProxyConfig config() {
    return config(8192);
  }

  /** The default test config with a caller idle timeout of {@code idleTimeoutMs} (the primary's timeout 1 s). */
  static ProxyConfig withIdleTimeout(long idleTimeoutMs) {
    return config(1_000, 10_000, new BreakerConfig(50f, 100, 100, 10_000, 1), 8192, idleTimeoutMs);
  }

  /** The ordinary config, with callers' header (and trailer) sections bounded by {@code maxHeaderBytes}. */
  static ProxyConfig config(int maxHeaderBytes) {
    return config(10_000, 10_000, new BreakerConfig(50f, 100, 100, 10_000, 1), maxHeaderBytes, 60_000);
  }

  ProxyHarness start(List<URI> targets) {
    return start(config(), TargetSource.of(targets.stream().map(TargetUrl::of).toList()), TrafficTap.NONE);
  }

  ProxyHarness start(ProxyConfig config, TargetSource targets, TrafficTap tap) {
    return start(config, ForwardingPolicy.defaults(), targets, tap);
  }

  ProxyHarness start(ForwardingPolicy policy, List<URI> targets) {
    return start(config(), policy, TargetSource.of(targets.stream().map(TargetUrl::of).toList()), TrafficTap.NONE);
  }

  ProxyHarness start(ProxyConfig config, ForwardingPolicy policy, TargetSource targets, TrafficTap tap) {
    proxy = await(ProxyServer.start(vertx, config, policy, targets, tap, registry));
    client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(proxy.actualPort()));
    return this;
  }

  HttpClient h2cClient() {
    return vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(proxy.actualPort()).setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
  }

  int port() {
    return proxy.actualPort();
  }

  double errors(ProxyError kind) {
    return registry.get(ProxyMetrics.PRIMARY_ERRORS).tag(ProxyMetrics.TAG_KIND, kind.tag()).counter().count();
  }

  long requests(String statusClass, ProxyMetrics.Outcome outcome) {
    var timer = registry.find(ProxyMetrics.PRIMARY_REQUESTS).tag(ProxyMetrics.TAG_STATUS_CLASS, statusClass)
        .tag(ProxyMetrics.TAG_OUTCOME, outcome.tag()).timer();
    return timer == null ? 0 : timer.count();
  }

  double rejected(String reason) {
    return registry.get(ProxyMetrics.REJECTED).tag(ProxyMetrics.TAG_REASON, reason).counter().count();
  }

  double active() {
    return registry.get(ProxyMetrics.ACTIVE_REQUESTS).gauge().value();
  }

  /** Sends raw bytes on a new connection and returns everything read until the proxy closes it. */
  String raw(String request) {
    try (Socket socket = new Socket("127.0.0.1", port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream read = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) > 0) {
        read.write(buf, 0, n);
      }
      return read.toString(StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Waits up to 30 s for {@code future}. Attach whatever reads a response (body, handlers) inside the callback that
   * sends the request, e.g. {@code r.send().compose(resp -> resp.body())}: a listener added from the test thread to a
   * future already completed runs later, as an event-loop task, after the response may have ended.
   */
  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    await(vertx.close());
  }
}
