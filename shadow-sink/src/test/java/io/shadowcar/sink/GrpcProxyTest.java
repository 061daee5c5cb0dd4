package io.shadowcar.sink;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shadowcar.proxy.ProxyConfig;
import io.shadowcar.proxy.ProxyServer;
import io.shadowcar.proxy.upstream.TargetSource;
import io.shadowcar.sink.http.HttpShadowSink;
import io.shadowcar.sink.http.HttpShadowSinkConfig;
import io.shadowcar.sink.observe.CompletedExchange;
import io.shadowcar.tee.DropReason;
import io.shadowcar.tee.RouteRule;
import io.shadowcar.tee.TeeConfig;
import io.shadowcar.tee.TeeMetrics;
import io.shadowcar.tee.TeeRouter;
import io.shadowcar.testkit.LeakDetectionExtension;
import io.shadowcar.testkit.SidecarTransport;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * gRPC through the traffic port: a grpc-java client (HTTP/2 with prior knowledge) calls a grpc-java primary behind
 * the proxy and gets its messages and status, trailers included; unary calls are copied to a second grpc-java server
 * acting as the shadow, streaming calls are not.
 */
@ExtendWith(LeakDetectionExtension.class)
class GrpcProxyTest {

  private static final Duration GUARD = Duration.ofSeconds(30);

  private final Vertx vertx = SidecarTransport.vertx();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<CompletedExchange> exchanges = new CopyOnWriteArrayList<>();
  private EchoGrpc primary;
  private EchoGrpc shadow;
  private ProxyServer proxy;
  private HttpShadowSink sink;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    primary = new EchoGrpc("primary");
    shadow = new EchoGrpc("shadow");
    SinkContext context = TestSinks.context(vertx, registry, exchanges::add);
    sink = new HttpShadowSink(HttpShadowSinkConfig.defaults(),
        TargetSource.parse("http://127.0.0.1:" + shadow.port()), TargetSource.of(List.of()),
        context);
    // gRPC calls are POSTs: a route opts them in, as for any method with possible side effects
    RouteRule grpc = new RouteRule("grpc", "/" + EchoGrpc.SERVICE + "/*", Set.of(HttpMethod.POST), null, Set.of());
    TeeConfig tee = TeeConfig.defaults().withSinks(Set.of("http")).withRoutes(List.of(grpc));
    TeeRouter router = new TeeRouter(tee, new ShadowSinks(List.of(sink), context.observers(),
        new TeeMetrics(registry)), registry);
    proxy = join(ProxyServer.start(vertx, ProxyConfig.defaults().withListen("127.0.0.1", 0),
        TargetSource.parse("http://127.0.0.1:" + primary.port()), router, registry));
    channel = NettyChannelBuilder.forAddress("127.0.0.1", proxy.actualPort()).usePlaintext().build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    TestSinks.stopAll(proxy, sink, vertx);
    primary.close();
    shadow.close();
  }

  @Test
  void aUnaryCallIsAnsweredByThePrimaryAndCopiedToTheShadow() {
    String answer = ClientCalls.blockingUnaryCall(channel, EchoGrpc.UNARY, CallOptions.DEFAULT, "hello");
    assertEquals("primary:hello", answer);
    assertEquals(List.of(new EchoGrpc.Received("Unary", "hello")), primary.received());

    await().atMost(GUARD).until(() -> shadow.received().size() == 1 && exchanges.size() == 1);
    assertEquals(new EchoGrpc.Received("Unary", "hello"), shadow.received().get(0));
    CompletedExchange copy = exchanges.get(0);
    assertEquals(200, copy.primary().orElseThrow().statusCode());
    assertEquals("0", copy.primary().orElseThrow().header("grpc-status"));
    assertEquals("0", copy.candidate().orElseThrow().response().header("grpc-status"));
    assertEquals(1.0, counter(TeeMetrics.COPIES, TeeMetrics.TAG_RESULT, TeeMetrics.RESULT_SENT));
  }

  @Test
  void aFailedCallKeepsItsStatusAndMessage() {
    StatusRuntimeException failed = assertThrows(StatusRuntimeException.class,
        () -> ClientCalls.blockingUnaryCall(channel, EchoGrpc.UNARY, CallOptions.DEFAULT, "fail"));
    assertEquals(Status.Code.INVALID_ARGUMENT, failed.getStatus().getCode());
    assertEquals("bad input: fail", failed.getStatus().getDescription());
  }

  @Test
  void aServerStreamingCallDeliversEveryMessageInOrder() {
    List<String> items = new ArrayList<>();
    ClientCalls.blockingServerStreamingCall(channel, EchoGrpc.STREAM, CallOptions.DEFAULT, "200")
        .forEachRemaining(items::add);
    assertEquals(200, items.size());
    for (int i = 0; i < items.size(); i++) {
      assertEquals("primary-item-" + i, items.get(i));
    }
  }

  @Test
  void aClientStreamingCallIsProxiedAndNotCopied() throws Exception {
    CompletableFuture<String> answer = new CompletableFuture<>();
    StreamObserver<String> requests = ClientCalls.asyncClientStreamingCall(
        channel.newCall(EchoGrpc.COLLECT, CallOptions.DEFAULT), new StreamObserver<>() {
          @Override
          public void onNext(String value) {
            answer.complete(value);
          }

          @Override
          public void onError(Throwable t) {
            answer.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {}
        });
    for (String part : List.of("a", "b", "c")) {
      requests.onNext(part);
    }
    requests.onCompleted();
    assertEquals("primary:abc", answer.get(30, TimeUnit.SECONDS));
    await().atMost(GUARD).until(() -> counter(TeeMetrics.SKIPPED, "reason", DropReason.GRPC_STREAMING.tag()) == 1.0);

    // a unary call after it is copied: the shadow got that one and nothing of the stream
    ClientCalls.blockingUnaryCall(channel, EchoGrpc.UNARY, CallOptions.DEFAULT, "after");
    await().atMost(GUARD).until(() -> shadow.received().size() == 1);
    assertEquals(new EchoGrpc.Received("Unary", "after"), shadow.received().get(0));
  }

  private static <T> T join(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private double counter(String name, String tag, String value) {
    Counter c = registry.find(name).tag(tag, value).counter();
    return c == null ? 0 : c.count();
  }
}
