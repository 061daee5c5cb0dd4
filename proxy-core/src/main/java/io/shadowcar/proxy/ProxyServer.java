package io.shadowcar.proxy;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.concurrent.EventExecutor;
import io.shadowcar.proxy.tap.TrafficTap;
import io.shadowcar.proxy.tls.CertificateReloader;
import io.shadowcar.proxy.tls.PemFiles;
import io.shadowcar.proxy.upstream.Target;
import io.shadowcar.proxy.upstream.TargetBalancer;
import io.shadowcar.proxy.upstream.TargetSource;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The traffic port: a reverse proxy that streams every request to one of the primary targets and the answer back,
 * showing each exchange to a {@link TrafficTap}. One server and one client per event loop ({@link
 * ProxyConfig#eventLoops()} instances sharing the port).
 *
 * <p>With {@link ProxyConfig#serverTls()} the port speaks TLS (ALPN h2 and http/1.1) and serves a rotated
 * certificate to new connections without a restart ({@link CertificateReloader}). Primaries may be {@code http://},
 * {@code https://} (trusted per {@link ProxyConfig#primaryTls()}) or {@code h2c://}.
 *
 * <p>Start it with {@link #start}, stop it with {@link #shutdown}. Not a general-purpose gateway: no routing by
 * path, no retries (a non-idempotent request must not be sent twice).
 */
public final class ProxyServer {

  private static final Logger LOG = LoggerFactory.getLogger(ProxyServer.class);
  /** Deployments tried for one event loop per server before taking shared ones. */
  private static final int LOOP_ATTEMPTS = 10;

  private final Vertx vertx;
  private final int actualPort;
  private final Future<String> deployment;
  private final TargetBalancer balancer;
  private final AtomicReference<ForwardingPolicy> forwarding;
  private final CertificateReloader certificates;
  private final ListeningSocket listening;
  private Future<Void> shutdown;

  private ProxyServer(Vertx vertx, int actualPort, Future<String> deployment, TargetBalancer balancer,
      AtomicReference<ForwardingPolicy> forwarding, CertificateReloader certificates, ListeningSocket listening) {
    this.vertx = vertx;
    this.forwarding = forwarding;
    this.actualPort = actualPort;
    this.deployment = deployment;
    this.balancer = balancer;
    this.certificates = certificates;
    this.listening = listening;
  }

  /**
   * Binds the traffic port and starts forwarding.
   *
   * @param primaries where to forward; read per request, may change at any time
   * @param tap sees every exchange ({@link TrafficTap#NONE} for none)
   * @param registry receives the {@link ProxyMetrics}
   * @return completes once every event loop listens, fails if the port cannot be bound or its TLS certificate and
   *     key cannot be read
   */
  public static Future<ProxyServer> start(
      Vertx vertx, ProxyConfig config, TargetSource primaries, TrafficTap tap, MeterRegistry registry) {
    return start(vertx, config, ForwardingPolicy.defaults(), primaries, tap, registry);
  }

  /**
   * Binds the traffic port and starts forwarding under {@code policy} (who is trusted with forwarding headers, which
   * caller headers are removed); {@link #updateForwarding} replaces it later.
   */
  public static Future<ProxyServer> start(Vertx vertx, ProxyConfig config, ForwardingPolicy policy,
      TargetSource primaries, TrafficTap tap, MeterRegistry registry) {
    Objects.requireNonNull(vertx, "vertx");
    AtomicReference<ForwardingPolicy> forwarding = new AtomicReference<>(Objects.requireNonNull(policy, "policy"));
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(primaries, "primaries");
    Objects.requireNonNull(tap, "tap");
    Objects.requireNonNull(registry, "registry");
    ProxyMetrics metrics = new ProxyMetrics(registry);
    TargetBalancer balancer = new TargetBalancer(primaries, config.breaker());
    // Vert.x shares one listening socket among servers that listen on the same port; for "any free port" that
    // takes a negative port (0 would give every event loop its own port).
    int listenPort = config.port() == 0 ? -1 : config.port();
    Future<PemFiles.KeyCertPair> certificate = config.serverTls()
        .map(tls -> vertx.executeBlocking(() -> PemFiles.readPair(tls.certFile(), tls.keyFile()), false))
        .orElse(Future.succeededFuture());
    return certificate.compose(pair -> deploy(vertx, config, listenPort, balancer, tap, metrics, pair, forwarding,
        registry));
  }

  private static Future<ProxyServer> deploy(Vertx vertx, ProxyConfig config, int listenPort, TargetBalancer balancer,
      TrafficTap tap, ProxyMetrics metrics, PemFiles.KeyCertPair pair, AtomicReference<ForwardingPolicy> forwarding,
      MeterRegistry registry) {
    ConnectionLimit connections = new ConnectionLimit(config.callers().maxConnections(), metrics);
    RequestBuffers buffers = new RequestBuffers(config.callers().requestBufferTotalBytes(), metrics);
    UpstreamFailure failures = new UpstreamFailure();
    TunnelLimit tunnels = new TunnelLimit(config.tunnels(), registry);
    DeploymentOptions options = new DeploymentOptions().setInstances(config.eventLoops());
    Function<Boolean, Future<ProxyServer>> deployOnce = loopPerServer -> {
      List<ProxyVerticle> instances = new CopyOnWriteArrayList<>();
      ListeningSocket listening = new ListeningSocket(config.eventLoops(), loopPerServer);
      Future<String> deployment = vertx.deployVerticle(() -> {
        ProxyVerticle instance = new ProxyVerticle(config, listenPort, balancer, tap, metrics, failures, pair,
            tunnels, forwarding::get, connections, buffers, listening);
        instances.add(instance);
        return instance;
      }, options);
      // Started once every event loop listens; the deployment's id may come a little later (only shutdown needs it).
      Promise<ProxyServer> started = Promise.promise();
      deployment.onFailure(started::tryFail);
      listening.allListening().onSuccess(all -> {
        int port = instances.get(0).actualPort();
        for (ProxyVerticle instance : instances) {
          if (instance.actualPort() != port) {
            // Guards the port-sharing assumption above: never serve on several ports silently.
            IllegalStateException split = new IllegalStateException("event loops bound different ports: " + port
                + ", " + instance.actualPort());
            deployment.compose(vertx::undeploy).onComplete(undeployed -> started.tryFail(split));
            return;
          }
        }
        CertificateReloader certificates = pair == null ? null : CertificateReloader.start(vertx,
            config.serverTls().orElseThrow(), pair, instances.get(0).server(), "traffic", registry);
        started.tryComplete(new ProxyServer(vertx, port, deployment, balancer, forwarding, certificates, listening));
      });
      return started.future();
    };
    if (config.eventLoops() > eventLoopsOf(vertx)) {
      return deployOnce.apply(false);
    }
    return onLoopsOfTheirOwn(deployOnce, LOOP_ATTEMPTS);
  }

  /**
   * Deploys until the servers are handed distinct event loops. Vert.x hands out loops in turn to every context the
   * process creates, so a clash is rare and a second deployment almost always gets distinct loops; the last attempt
   * takes what it is given.
   */
  private static Future<ProxyServer> onLoopsOfTheirOwn(Function<Boolean, Future<ProxyServer>> deployOnce,
      int attemptsLeft) {
    if (attemptsLeft == 1) {
      return deployOnce.apply(false).onSuccess(server -> LOG.warn(
          "the proxy's event loops: {} deployments were given a shared loop; serving on fewer cores",
          LOOP_ATTEMPTS - 1));
    }
    return deployOnce.apply(true).recover(failure -> failure instanceof ListeningSocket.SharedEventLoop
        ? onLoopsOfTheirOwn(deployOnce, attemptsLeft - 1)
        : Future.failedFuture(failure));
  }

  private static int eventLoopsOf(Vertx vertx) {
    int loops = 0;
    for (EventExecutor ignored : ((VertxInternal) vertx).nettyEventLoopGroup()) {
      loops++;
    }
    return loops;
  }

  /** The bound port (useful when the config asked for port 0). */
  public int actualPort() {
    return actualPort;
  }

  /** Applies {@code policy} to requests that start from now on (requests in flight keep theirs). */
  public void updateForwarding(ForwardingPolicy policy) {
    forwarding.set(Objects.requireNonNull(policy, "policy"));
  }

  /** The primary targets now, each with its breaker, for the admin page; read-only use (never acquire on them). */
  public List<Target> primaryTargets() {
    return List.of(balancer.targets());
  }

  /**
   * Stops accepting connections (the port refuses them from now on), lets in-flight exchanges finish for up to
   * {@link ProxyConfig#drainTimeoutMs()} while every HTTP/1.x response says {@code Connection: close} and every
   * HTTP/2 connection gets GOAWAY, then closes the remaining connections and the primary clients. Calling it again
   * returns the same future.
   */
  public synchronized Future<Void> shutdown() {
    if (shutdown == null) {
      if (certificates != null) {
        certificates.stop();
      }
      shutdown = listening.close().transform(closed -> deployment.compose(vertx::undeploy));
    }
    return shutdown;
  }
}
