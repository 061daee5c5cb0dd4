package io.shadowcar.proxy.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shadowcar.proxy.ProxyConfig;
import io.shadowcar.proxy.ProxyServer;
import io.shadowcar.proxy.tap.TrafficTap;
import io.shadowcar.proxy.upstream.TargetSource;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark harness, not a test: runs the bare traffic port (tee off, {@link TrafficTap#NONE}) with
 * {@link ProxyConfig#defaults()} on {@code 127.0.0.1:<port>} in front of one primary, until killed. Drive it with wrk; see
 * {@code proxy-core/bench/ab.sh}. Usage: {@code ProxyBenchMain <port> <primary-url> [event-loops]}.
 *
 * <p>Not for correctness checks (the tests do that) and not a substitute for {@code scripts/bench.sh}, which
 * measures the whole sidecar: this isolates proxy-core so A/B changes to it can be compared quickly.
 */
public final class ProxyBenchMain {

  private ProxyBenchMain() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    URI primary = URI.create(args[1]);
    ProxyConfig d = ProxyConfig.defaults();
    int eventLoops = args.length > 2 ? Integer.parseInt(args[2]) : d.eventLoops();
    ProxyConfig config = new ProxyConfig("127.0.0.1", port, d.primaryTimeoutMs(), d.connectTimeoutMs(),
        d.maxPoolSizePerTarget(), d.keepAlive(), d.maxHeaderBytes(), d.maxInitialLineLength(), d.idleTimeoutMs(),
        d.drainTimeoutMs(), d.breaker(), eventLoops, d.h2cUpgrade(), d.serverTls(), d.primaryTls(),
        d.tunnels(), d.callers(), d.notReadyDelayMs());
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    ProxyServer server = ProxyServer.start(vertx, config, TargetSource.parse(primary.toString()), TrafficTap.NONE,
        new SimpleMeterRegistry()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    System.out.println("listening on 127.0.0.1:" + server.actualPort() + " native=" + vertx.isNativeTransportEnabled());
    Thread.currentThread().join();
  }
}
