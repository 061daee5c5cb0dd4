package io.shadowcar.proxy;

import io.micrometer.core.instrument.MeterRegistry;
import io.shadowcar.proxy.tap.TrafficTap;
import io.shadowcar.proxy.upstream.Target;
import io.shadowcar.proxy.upstream.TargetBalancer;
import io.shadowcar.proxy.upstream.TargetSource;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The traffic port: a reverse proxy that streams every request to one of the primary targets and the answer back,
 * showing each exchange to a {@link TrafficTap}. One server and one client per event loop ({@link
 * ProxyConfig#eventLoops()} instances sharing the port).
 *
 * <p>Start it with {@link #start}, stop it with {@link #shutdown}. Not a general-purpose gateway: no routing by
 * path, no retries (a non-idempotent request must not be sent twice), no TLS towards the primary.
 */
public final class ProxyServer {

  private final Vertx vertx;
  private final int actualPort;
  private final String deploymentId;
  private final TargetBalancer balancer;
  private final ListeningSocket listening;
  private Future<Void> shutdown;

  private ProxyServer(Vertx vertx, int actualPort, String deploymentId, TargetBalancer balancer,
      ListeningSocket listening) {
    this.vertx = vertx;
    this.actualPort = actualPort;
    this.deploymentId = deploymentId;
    this.balancer = balancer;
    this.listening = listening;
  }

  /**
   * Binds the traffic port and starts forwarding.
   *
   * @param primaries where to forward; read per request, may change at any time
   * @param tap sees every exchange ({@link TrafficTap#NONE} for none)
   * @param registry receives the {@link ProxyMetrics}
   * @return completes once every event loop listens, fails if the port cannot be bound
   */
  public static Future<ProxyServer> start(
      Vertx vertx, ProxyConfig config, TargetSource primaries, TrafficTap tap, MeterRegistry registry) {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(primaries, "primaries");
    Objects.requireNonNull(tap, "tap");
    Objects.requireNonNull(registry, "registry");
    ProxyMetrics metrics = new ProxyMetrics(registry);
    TargetBalancer balancer = new TargetBalancer(primaries, config.breaker());
    // Vert.x shares one listening socket among servers that listen on the same port; for "any free port" that
    // takes a negative port (0 would give every event loop its own port).
    int listenPort = config.port() == 0 ? -1 : config.port();
    List<ProxyVerticle> instances = new CopyOnWriteArrayList<>();
    ConnectionLimit connections = new ConnectionLimit(config.callers().maxConnections(), metrics);
    RequestBuffers buffers = new RequestBuffers(config.callers().requestBufferTotalBytes(), metrics);
    ListeningSocket listening = new ListeningSocket();
    DeploymentOptions options = new DeploymentOptions().setInstances(config.eventLoops());
    return vertx.deployVerticle(() -> {
      ProxyVerticle instance = new ProxyVerticle(config, listenPort, balancer, tap, metrics, connections, buffers,
          listening);
      instances.add(instance);
      return instance;
    }, options).compose(id -> {
      int port = instances.get(0).actualPort();
      for (ProxyVerticle instance : instances) {
        if (instance.actualPort() != port) {
          // Guards the port-sharing assumption above: never serve on several ports silently.
          return vertx.undeploy(id).transform(ignored -> Future.failedFuture(
              new IllegalStateException("event loops bound different ports: " + port + ", " + instance.actualPort())));
        }
      }
      return Future.succeededFuture(new ProxyServer(vertx, port, id, balancer, listening));
    });
  }

  /** The bound port (useful when the config asked for port 0). */
  public int actualPort() {
    return actualPort;
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
      shutdown = listening.close().transform(closed -> vertx.undeploy(deploymentId));
    }
    return shutdown;
  }
}
