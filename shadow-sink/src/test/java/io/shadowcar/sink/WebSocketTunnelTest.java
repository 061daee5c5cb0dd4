package io.shadowcar.sink;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shadowcar.proxy.ProxyConfig;
import io.shadowcar.proxy.ProxyMetrics;
import io.shadowcar.proxy.ProxyServer;
import io.shadowcar.proxy.TunnelConfig;
import io.shadowcar.proxy.upstream.TargetSource;
import io.shadowcar.sink.http.HttpShadowSink;
import io.shadowcar.sink.http.HttpShadowSinkConfig;
import io.shadowcar.tee.DropReason;
import io.shadowcar.tee.TeeConfig;
import io.shadowcar.tee.TeeMetrics;
import io.shadowcar.tee.TeeRouter;
import io.shadowcar.testkit.LeakDetectionExtension;
import io.shadowcar.testkit.SidecarTransport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.streams.WriteStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * WebSocket through the traffic port, with the whole tee behind it: a real Vert.x WebSocket server as the primary, a
 * real shadow that must never see a tunnel, and the proxy's tunnel limits.
 */
@ExtendWith(LeakDetectionExtension.class)
class WebSocketTunnelTest {

  private static final Duration GUARD = Duration.ofSeconds(30);
  private static final int MESSAGE = 32 * 1024;
  /** What a writer tries to push through a stalled reader; back-pressure must stop it far below this. */
  private static final long FLOOD = 96L << 20;
  /** Socket buffers and write queues along the path hold a few MiB; more means the proxy buffered the flood. */
  private static final long STALL_BOUND = 40L << 20;

  private final Vertx vertx = SidecarTransport.vertx();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<ServerWebSocket> primarySockets = new CopyOnWriteArrayList<>();
  private final AtomicLong primaryReceived = new AtomicLong();
  private final AtomicLong primaryWritten = new AtomicLong();
  private final AtomicLong primaryLimit = new AtomicLong(FLOOD);
  private HttpServer primary;
  private RecordingShadow shadow;
  private HttpShadowSink sink;
  private ProxyServer proxy;
  private WebSocketClient ws;

  @BeforeEach
  void startPrimaryAndShadow() throws Exception {
    primary = vertx.createHttpServer().requestHandler(request -> {
      if (request.path().equals("/refuse")) {
        request.response().setStatusCode(403).end("no sockets here");
      } else if (request.path().equals("/plain")) {
        request.response().end("plain");
      } else {
        request.toWebSocket().onSuccess(socket -> serve(request.path(), socket));
      }
    });
    join(primary.listen(0, "127.0.0.1"));
    shadow = new RecordingShadow(vertx);
    ws = vertx.createWebSocketClient();
  }

  private void serve(String path, ServerWebSocket socket) {
    primarySockets.add(socket);
    switch (path) {
      case "/echo" -> {
        socket.textMessageHandler(socket::writeTextMessage);
        socket.binaryMessageHandler(socket::writeBinaryMessage);
      }
      case "/slow-reader" -> {
        socket.pause(); // reads nothing until the test resumes it
        socket.handler(b -> primaryReceived.addAndGet(b.length()));
      }
      // floods once the caller says so: frames sent before the caller has set its handler would be dropped by the
      // caller's WebSocket, not by the tunnel
      case "/flood" -> socket.textMessageHandler(go -> pump(socket, primaryWritten, primaryLimit));
      default -> socket.close();
    }
  }

  @AfterEach
  void stop() throws Exception {
    shadow.close();
    TestSinks.stopAll(proxy, sink, vertx);
  }

  private void startProxy(TunnelConfig tunnels) throws Exception {
    SinkContext context = TestSinks.context(vertx, registry);
    sink = new HttpShadowSink(HttpShadowSinkConfig.defaults(), TargetSource.parse(shadow.uri().toString()),
        TargetSource.of(List.of()), context);
    TeeRouter router = new TeeRouter(TeeConfig.defaults().withSinks(java.util.Set.of("http")),
        new ShadowSinks(List.of(sink), context.observers(), new TeeMetrics(registry)), registry);
    proxy = join(ProxyServer.start(vertx, ProxyConfig.defaults().withListen("127.0.0.1", 0).withTunnels(tunnels),
        TargetSource.parse("http://127.0.0.1:" + primary.actualPort()), router, registry));
  }

  private WebSocket connect(String path) throws Exception {
    return join(ws.connect(proxy.actualPort(), "127.0.0.1", path));
  }

  @Test
  void thousandMessagesEachWayCrossTheTunnelAndNoneReachesTheShadow() throws Exception {
    startProxy(TunnelConfig.defaults());
    WebSocket socket = connect("/echo");
    List<String> echoed = new CopyOnWriteArrayList<>();
    List<Integer> binarySizes = new CopyOnWriteArrayList<>();
    socket.textMessageHandler(echoed::add);
    socket.binaryMessageHandler(b -> binarySizes.add(b.length()));
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      String message = "message-" + i + "-" + "x".repeat(i % 97);
      sent.add(message);
      socket.writeTextMessage(message);
      if (i % 100 == 0) {
        socket.writeBinaryMessage(Buffer.buffer(new byte[MESSAGE + i])); // spans several TCP reads
      }
    }
    await().atMost(GUARD).until(() -> echoed.size() == 1000 && binarySizes.size() == 10);
    assertEquals(sent, echoed);
    assertEquals(MESSAGE + 900, binarySizes.get(9));
    assertEquals(1.0, gauge(ProxyMetrics.TUNNELS_OPEN));

    join(socket.close());
    await().atMost(GUARD).until(() -> gauge(ProxyMetrics.TUNNELS_OPEN) == 0.0);
    assertEquals(1.0, counter(ProxyMetrics.TUNNELS, ProxyMetrics.TAG_RESULT, "opened"));
    // the primary closes TCP after the close handshake (RFC 6455 §7.1.1); either side closing ends the tunnel cleanly
    assertEquals(1.0, counter(ProxyMetrics.TUNNELS_CLOSED, ProxyMetrics.TAG_REASON, "caller")
        + counter(ProxyMetrics.TUNNELS_CLOSED, ProxyMetrics.TAG_REASON, "primary"));
    assertEquals(0.0, counter(ProxyMetrics.TUNNELS_CLOSED, ProxyMetrics.TAG_REASON, "error"));
    assertEquals(1.0, counter(TeeMetrics.SKIPPED, "reason", DropReason.UPGRADE.tag()));

    // The tee does copy an ordinary GET through the same proxy to the same shadow: only the tunnel was left out.
    HttpClient http = vertx.createHttpClient();
    assertEquals("plain", join(http.request(HttpMethod.GET, proxy.actualPort(), "127.0.0.1", "/plain")
        .compose(r -> r.send().compose(resp -> resp.body()))).toString());
    await().atMost(GUARD).until(() -> shadow.received().size() == 1);
    assertEquals("/plain", shadow.received().get(0).uri());
  }

  @Test
  void compressionIsNegotiatedByTheCallerAndThePrimaryAloneAndCompressedMessagesCrossTheTunnel() throws Exception {
    startProxy(TunnelConfig.defaults());
    WebSocketClient compressing = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setTryUsePerMessageCompression(true));
    WebSocket socket = join(compressing.connect(proxy.actualPort(), "127.0.0.1", "/echo"));
    // the primary's answer, once: a proxy that negotiated too would add its own permessage-deflate, which a client
    // must refuse (RFC 7692, section 7)
    assertEquals(List.of("permessage-deflate"), socket.headers().getAll("Sec-WebSocket-Extensions").stream()
        .map(value -> value.split(";")[0].trim()).toList());
    List<String> echoed = new CopyOnWriteArrayList<>();
    socket.textMessageHandler(echoed::add);
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String message = "compressible-" + i + "-" + "abc".repeat(100 + i);
      sent.add(message);
      socket.writeTextMessage(message);
    }
    await().atMost(GUARD).until(() -> echoed.size() == 200);
    assertEquals(sent, echoed);
    join(socket.close());
    join(compressing.close());
  }

  @Test
  void aSlowPrimaryPausesTheCallerAndLosesNothing() throws Exception {
    startProxy(TunnelConfig.defaults());
    AtomicLong written = new AtomicLong();
    AtomicLong limit = new AtomicLong(FLOOD);
    // the writer runs on the socket's own event loop, where its write queue is seen as it fills
    join(ws.connect(proxy.actualPort(), "127.0.0.1", "/slow-reader").onSuccess(s -> pump(s, written, limit)));
    long stalledAt = awaitStall(written);
    assertTrue(stalledAt < STALL_BOUND, "the caller wrote " + stalledAt + " bytes into a tunnel nobody reads");

    // everything the writer wrote arrives once the reader reads again (a stall seen on a slow machine may have been a
    // pause: the writer is stopped now, and whatever it wrote after that counts too)
    limit.set(stalledAt);
    primarySockets.get(0).resume();
    await().atMost(GUARD).untilAsserted(() -> assertEquals(written.get(), primaryReceived.get()));
  }

  @Test
  void aSlowCallerPausesThePrimaryAndLosesNothing() throws Exception {
    startProxy(TunnelConfig.defaults());
    WebSocket socket = connect("/flood").pause();
    AtomicLong received = new AtomicLong();
    socket.handler(b -> received.addAndGet(b.length()));
    socket.writeTextMessage("go");
    long stalledAt = awaitStall(primaryWritten);
    assertTrue(stalledAt < STALL_BOUND, "the primary wrote " + stalledAt + " bytes into a tunnel nobody reads");

    primaryLimit.set(stalledAt); // see above: the primary stops, and all it wrote must arrive
    socket.resume();
    await().atMost(GUARD).untilAsserted(() -> assertEquals(primaryWritten.get(), received.get()));
  }

  @Test
  void anIdleTunnelIsClosedAndTrafficKeepsItOpen() throws Exception {
    startProxy(new TunnelConfig(16, 2_000));
    WebSocket busy = connect("/echo");
    WebSocket idle = connect("/echo");
    AtomicBoolean idleClosed = new AtomicBoolean();
    AtomicBoolean busyClosed = new AtomicBoolean();
    idle.closeHandler(v -> idleClosed.set(true));
    busy.closeHandler(v -> busyClosed.set(true));
    // one message every 500 ms for 5 s (two and a half idle timeouts) keeps the busy one open
    long timer = vertx.setPeriodic(500, id -> busy.writeTextMessage("ping"));
    await().atMost(GUARD).untilTrue(idleClosed);
    Thread.sleep(5_000);
    vertx.cancelTimer(timer);
    assertFalse(busyClosed.get(), "a tunnel with traffic every 500 ms was closed as idle");
    await().atMost(GUARD).untilTrue(busyClosed);
    assertEquals(2.0, counter(ProxyMetrics.TUNNELS_CLOSED, ProxyMetrics.TAG_REASON, "idle"));
    assertEquals(0.0, gauge(ProxyMetrics.TUNNELS_OPEN));
  }

  @Test
  void upgradesOverTheCapGet503UntilATunnelCloses() throws Exception {
    startProxy(new TunnelConfig(2, 60_000));
    WebSocket first = connect("/echo");
    connect("/echo");
    ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> connect("/echo"));
    assertEquals(503, ((UpgradeRejectedException) refused.getCause()).getStatus());
    assertEquals(1.0, counter(ProxyMetrics.TUNNELS, ProxyMetrics.TAG_RESULT, "refused"));

    join(first.close());
    await().atMost(GUARD).until(() -> gauge(ProxyMetrics.TUNNELS_OPEN) == 1.0);
    WebSocket again = connect("/echo");
    AtomicReference<String> echo = new AtomicReference<>();
    again.textMessageHandler(echo::set);
    again.writeTextMessage("after");
    await().atMost(GUARD).until(() -> "after".equals(echo.get()));
    assertEquals(0, shadow.received().size());
  }

  @Test
  void anUpgradeThePrimaryDeclinesGetsItsAnswer() throws Exception {
    startProxy(TunnelConfig.defaults());
    ExecutionException declined = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> join(ws.connect(new WebSocketConnectOptions().setPort(proxy.actualPort()).setHost("127.0.0.1")
            .setURI("/refuse"))));
    UpgradeRejectedException rejected = (UpgradeRejectedException) declined.getCause();
    assertEquals(403, rejected.getStatus());
    assertEquals("no sockets here", rejected.getBody().toString());
    // counted when the exchange ends, after the proxy's write of the answer completed: possibly after the caller read it
    await().atMost(GUARD).until(() -> counter(ProxyMetrics.TUNNELS, ProxyMetrics.TAG_RESULT, "declined") == 1.0);
    await().atMost(GUARD).until(() -> gauge(ProxyMetrics.TUNNELS_OPEN) == 0.0);
    assertEquals(0, shadow.received().size());
  }

  /**
   * Writes messages until {@code limit} bytes are written, waiting for the drain whenever the write queue is full.
   * Lowering {@code limit} stops it.
   */
  private static void pump(WriteStream<Buffer> out, AtomicLong written, AtomicLong limit) {
    Buffer chunk = Buffer.buffer(new byte[MESSAGE]);
    while (written.get() < limit.get() && !out.writeQueueFull()) {
      out.write(chunk);
      written.addAndGet(MESSAGE);
    }
    if (written.get() < limit.get()) {
      out.drainHandler(v -> pump(out, written, limit));
    }
  }

  /** Waits until {@code written} has not moved for 2 s, and returns it. */
  private static long awaitStall(AtomicLong written) throws InterruptedException {
    long deadline = System.nanoTime() + GUARD.toNanos();
    long last = -1;
    while (System.nanoTime() < deadline) {
      long now = written.get();
      if (now == last && now > 0) {
        return now;
      }
      last = now;
      Thread.sleep(2_000);
    }
    throw new AssertionError("the writer never stalled: " + written.get() + " bytes");
  }

  private double gauge(String name) {
    return registry.get(name).gauge().value();
  }

  private double counter(String name, String tag, String value) {
    Counter c = registry.find(name).tag(tag, value).counter();
    return c == null ? 0 : c.count();
  }

  private static <T> T join(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
