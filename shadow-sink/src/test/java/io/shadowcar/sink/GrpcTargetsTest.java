package io.shadowcar.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shadowcar.proxy.ProxyConfig;
import io.shadowcar.proxy.ProxyServer;
import io.shadowcar.proxy.tap.TrafficTap;
import io.shadowcar.proxy.tls.ServerTls;
import io.shadowcar.proxy.tls.UpstreamTls;
import io.shadowcar.proxy.upstream.TargetSource;
import io.shadowcar.testkit.LeakDetectionExtension;
import io.shadowcar.testkit.SidecarTransport;
import io.shadowcar.testkit.tls.TestCertificates;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * gRPC over every target form: an {@code h2c://} primary, and TLS end to end (a TLS traffic port, ALPN {@code h2}
 * with the caller, and an {@code https://} primary reached with ALPN {@code h2}), each with real grpc-java servers and
 * clients and certificates made for the test.
 */
@ExtendWith(LeakDetectionExtension.class)
class GrpcTargetsTest {

  private final Vertx vertx = SidecarTransport.vertx();
  private final List<EchoGrpc> servers = new ArrayList<>();
  private final TestCertificates ca = TestCertificates.authority("shadowcar grpc test CA");
  @TempDir
  Path dir;
  private ProxyServer proxy;
  private ManagedChannel channel;

  @AfterEach
  void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
    TestSinks.stopAll(proxy, null, vertx);
    servers.forEach(EchoGrpc::close);
  }

  private void startProxy(ProxyConfig config, String target) throws Exception {
    proxy = ProxyServer.start(vertx, config.withListen("127.0.0.1", 0), TargetSource.parse(target), TrafficTap.NONE,
        new SimpleMeterRegistry()).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private void assertCallsWork() {
    assertEquals("primary:hello", ClientCalls.blockingUnaryCall(channel, EchoGrpc.UNARY, CallOptions.DEFAULT, "hello"));
    StatusRuntimeException failed = assertThrows(StatusRuntimeException.class,
        () -> ClientCalls.blockingUnaryCall(channel, EchoGrpc.UNARY, CallOptions.DEFAULT, "fail"));
    assertEquals(Status.Code.INVALID_ARGUMENT, failed.getStatus().getCode());
    assertEquals("bad input: fail", failed.getStatus().getDescription());
    List<String> items = new ArrayList<>();
    ClientCalls.blockingServerStreamingCall(channel, EchoGrpc.STREAM, CallOptions.DEFAULT, "50")
        .forEachRemaining(items::add);
    assertEquals(50, items.size());
    assertEquals("primary-item-49", items.get(49));
  }

  @Test
  void anH2cTargetGetsTheCallsOverHttp2() throws Exception {
    EchoGrpc primary = new EchoGrpc("primary");
    servers.add(primary);
    startProxy(ProxyConfig.defaults(), "h2c://127.0.0.1:" + primary.port());
    channel = NettyChannelBuilder.forAddress("127.0.0.1", proxy.actualPort()).usePlaintext().build();
    assertCallsWork();
  }

  @Test
  void callsOverATlsTrafficPortReachAnHttpsPrimaryWithAlpnH2() throws Exception {
    Path caFile = ca.writeCertificate(dir.resolve("ca.pem"));
    ca.issue("127.0.0.1").write(dir.resolve("primary.crt"), dir.resolve("primary.key"));
    ca.issue("127.0.0.1").write(dir.resolve("port.crt"), dir.resolve("port.key"));
    EchoGrpc primary = EchoGrpc.tls("primary", dir.resolve("primary.crt"), dir.resolve("primary.key"));
    servers.add(primary);
    startProxy(ProxyConfig.defaults().withTls(Optional.of(new ServerTls(dir.resolve("port.crt"),
        dir.resolve("port.key"), 60)), new UpstreamTls(Optional.of(caFile), true)),
        "https://127.0.0.1:" + primary.port());
    // the client verifies the port's chain and that it names 127.0.0.1
    channel = NettyChannelBuilder.forAddress("127.0.0.1", proxy.actualPort())
        .sslContext(GrpcSslContexts.forClient().trustManager(caFile.toFile()).build()).build();
    assertCallsWork();
  }
}
