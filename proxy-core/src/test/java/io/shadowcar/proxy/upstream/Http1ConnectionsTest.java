package io.shadowcar.proxy.upstream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.shadowcar.common.target.TargetUrl;
import io.shadowcar.testkit.LogCapture;
import io.shadowcar.testkit.RefusingPort;
import io.shadowcar.testkit.SidecarTransport;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.impl.ConnectionBase;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reuse, bounded and withdrawn waits, closes asked by the server, resets and failed connects, on one event loop. */
class Http1ConnectionsTest {

  private final Vertx vertx = SidecarTransport.vertx(); // io_uring where allowed: its closes take a loop turn
  private final List<HttpServerRequest> held = new CopyOnWriteArrayList<>();
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final List<HttpConnection> serverConnections = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private Context loop;
  private Http1Connections pool;
  private Target target;

  @BeforeEach
  void start() throws Exception {
    server = vertx.createHttpServer()
        .connectionHandler(connection -> {
          connections.incrementAndGet();
          serverConnections.add(connection);
        })
        .requestHandler(request -> {
          received.add(request.uri());
          if (request.uri().startsWith("/held")) {
            held.add(request);
          } else if (request.uri().startsWith("/close")) {
            request.response().putHeader("Connection", "close").end("bye");
          } else if (request.uri().startsWith("/chunked")) {
            request.response().setChunked(true).write("part ");
            request.response().end("two");
          } else if (request.uri().startsWith("/short")) {
            request.response().putHeader("Keep-Alive", "timeout=1").end("short");
          } else {
            request.response().end("ok " + request.uri());
          }
        })
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    target = Target.of(TargetUrl.of(URI.create("http://127.0.0.1:" + server.actualPort())), null);
    loop = vertx.getOrCreateContext();
    pool = pool(1);
  }

  /** At most {@code maxPerTarget} connections to a target, and two requests waiting for them. */
  private Http1Connections pool(int maxPerTarget) throws Exception {
    return onLoop(() -> new Http1Connections((VertxInternal) vertx, ((ContextInternal) loop).nettyEventLoop(),
        new HttpClientOptions().setConnectTimeout(5_000), maxPerTarget, 2, true, 60_000));
  }

  @AfterEach
  void stop() throws Exception {
    onLoop(() -> {
      pool.close();
      return null;
    });
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aConnectionGivenBackCarriesTheNextRequest() throws Exception {
    assertEquals("200 ok /first", call("/first").answer.get(10, TimeUnit.SECONDS));
    assertEquals("200 ok /second", call("/second").answer.get(10, TimeUnit.SECONDS));
    assertEquals(1, connections.get());
    assertEquals(1, onLoop(pool::openConnections));
  }

  @Test
  void aBodyInOnePieceComesWithItsEndAndAChunkedBodyChunkByChunk() throws Exception {
    Call whole = call("/first");
    assertEquals("200 ok /first", whole.answer.get(10, TimeUnit.SECONDS));
    assertEquals(List.of("last"), whole.calls, "the body with its length, read at once, and the end in one call");
    Call chunked = call("/chunked");
    assertEquals("200 part two", chunked.answer.get(10, TimeUnit.SECONDS));
    assertEquals(List.of("chunk", "chunk", "end"), chunked.calls);
  }

  @Test
  void aConnectionThePrimaryAskedToCloseIsNotUsedAgain() throws Exception {
    assertEquals("200 bye", call("/close").answer.get(10, TimeUnit.SECONDS));
    assertEquals("200 ok /next", call("/next").answer.get(10, TimeUnit.SECONDS));
    assertEquals(2, connections.get());
  }

  @Test
  void aConnectionWhosePrimaryKeepsItOneSecondIsClosedAfterItsAnswer() throws Exception {
    // Keep-Alive: timeout=1 less the second of margin leaves no time to reuse it safely
    assertEquals("200 short", call("/short").answer.get(10, TimeUnit.SECONDS));
    assertEquals("200 ok /next", call("/next").answer.get(10, TimeUnit.SECONDS));
    assertEquals(2, connections.get());
  }

  @Test
  void aWithdrawnWaiterNeverGetsTheConnection() throws Exception {
    Call first = call("/held/1");
    await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("/held/1"));
    Call gaveUp = call("/gave-up");
    Call next = call("/next");
    gaveUp.withdraw();

    held.remove(0).response().end("held");
    assertEquals("200 held", first.answer.get(10, TimeUnit.SECONDS));
    assertEquals("200 ok /next", next.answer.get(10, TimeUnit.SECONDS));
    assertEquals(List.of("/held/1", "/next"), received, "the withdrawn request never left");
    assertTrue(!gaveUp.answer.isDone(), "a withdrawn waiter is told nothing");
    assertEquals(1, connections.get());
  }

  @Test
  void aRequestBeyondTheWaitingBoundFailsAtOnce() throws Exception {
    Call first = call("/held/1");
    await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("/held/1"));
    Call second = call("/second");
    Call third = call("/third");
    Call fourth = call("/fourth");

    ExecutionException refused = assertThrows(ExecutionException.class, () -> fourth.answer.get(10, TimeUnit.SECONDS));
    assertInstanceOf(ConnectionPoolTooBusyException.class, refused.getCause());
    assertTrue(!second.answer.isDone() && !third.answer.isDone(), "the first two still wait");

    held.remove(0).response().end("held");
    assertEquals("200 held", first.answer.get(10, TimeUnit.SECONDS));
    assertEquals("200 ok /second", second.answer.get(10, TimeUnit.SECONDS));
    assertEquals("200 ok /third", third.answer.get(10, TimeUnit.SECONDS));
    assertEquals(List.of("/held/1", "/second", "/third"), received);
    assertEquals(1, connections.get());
  }

  @Test
  void aConnectionGivenBackWhilePausedReadsAgain() throws Exception {
    Call paused = call("/first", true);
    assertEquals("200 ok /first", paused.answer.get(10, TimeUnit.SECONDS));
    // the same connection: had it stayed paused, this answer would never be read
    assertEquals("200 ok /second", call("/second").answer.get(10, TimeUnit.SECONDS));
    assertEquals(1, connections.get());
  }

  @Test
  void anIdleConnectionResetByThePrimaryIsDroppedWithoutALogLine() throws Exception {
    try (LogCapture vertx = LogCapture.of(ConnectionBase.class, Level.WARN);
        LogCapture ours = LogCapture.of(Http1Connections.class, Level.WARN)) {
      assertEquals("200 ok /first", call("/first").answer.get(10, TimeUnit.SECONDS));
      Channel channel = ((ConnectionBase) serverConnections.get(0)).channel();
      channel.eventLoop().submit(() -> {
        channel.config().setOption(ChannelOption.SO_LINGER, 0);
        return channel.close();
      }).get(10, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(10)).until(() -> onLoop(pool::openConnections) == 0);

      assertEquals("200 ok /second", call("/second").answer.get(10, TimeUnit.SECONDS));
      assertEquals(2, connections.get(), "the reset connection was not used again");
      assertEquals(List.of(), vertx.messages());
      assertEquals(List.of(), ours.messages());
    }
  }

  @Test
  void everyWaiterLearnsThatNoConnectionCanBeOpened() throws Exception {
    try (RefusingPort refusing = RefusingPort.open()) {
      bothWaitersFailToConnect(Target.of(TargetUrl.of(refusing.httpUri()), null));
    }
  }

  private void bothWaitersFailToConnect(Target nowhere) throws Exception {
    // both wait at once, behind the one connection the cap allows
    Call first = new Call("/a", false);
    Call second = new Call("/b", false);
    onLoop(() -> {
      pool.acquire(nowhere, first);
      pool.acquire(nowhere, second);
      return null;
    });

    for (Call call : List.of(first, second)) {
      ExecutionException failed = assertThrows(ExecutionException.class,
          () -> call.answer.get(10, TimeUnit.SECONDS));
      assertInstanceOf(ConnectException.class, failed.getCause());
    }
  }

  @Test
  void closeCompletesAndClosesEveryConnectionIdleOrInUse() throws Exception {
    pool = pool(2);
    List<HttpConnection> closedOnServer = new CopyOnWriteArrayList<>();
    Call inUse = call("/held/1");
    await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("/held/1"));
    Call idle = call("/first"); // a second connection, idle once answered
    assertEquals("200 ok /first", idle.answer.get(10, TimeUnit.SECONDS));
    assertEquals(2, connections.get());
    serverConnections.forEach(c -> c.closeHandler(v -> closedOnServer.add(c)));

    // on the loop, when the close completes: are the sockets still open?
    CompletableFuture<List<Boolean>> openWhenClosed = onLoop(() -> pool.close()
        .map(v -> List.of(inUse.connection.isOpen(), idle.connection.isOpen()))
        .toCompletionStage().toCompletableFuture());

    assertEquals(List.of(false, false), openWhenClosed.get(10, TimeUnit.SECONDS));
    await().atMost(Duration.ofSeconds(10)).until(() -> closedOnServer.size() == 2);
  }

  @Test
  void aRequestAfterCloseFailsAtOnceAndOpensNothing() throws Exception {
    onLoop(() -> {
      pool.close();
      return null;
    });
    ExecutionException failed = assertThrows(ExecutionException.class,
        () -> call("/late").answer.get(10, TimeUnit.SECONDS));
    assertInstanceOf(IllegalStateException.class, failed.getCause());
    assertEquals(0, connections.get());
  }

  /**
   * One GET through the pool: once it holds a connection the request is written, the answer read ("status body") and
   * the connection given back; {@code pauseFirst}: the connection is paused at the head and never resumed by the
   * caller, as a slow caller's exchange may leave it.
   */
  private final class Call implements Http1Connection.Holder, Http1Connections.Waiter {
    final CompletableFuture<String> answer = new CompletableFuture<>();
    final String uri;
    final boolean pauseFirst;
    volatile boolean withdrawn;
    Http1Connection connection;
    HttpResponse head;
    final StringBuilder body = new StringBuilder();
    /** The body callbacks, in order: "chunk", "end" or "last". */
    final List<String> calls = new CopyOnWriteArrayList<>();

    Call(String uri, boolean pauseFirst) {
      this.uri = uri;
      this.pauseFirst = pauseFirst;
    }

    void withdraw() throws Exception {
      onLoop(() -> withdrawn = true);
    }

    @Override
    public void connected(Http1Connection held) {
      connection = held;
      held.hold(this);
      HttpHeaders headers = new DefaultHttpHeaders().set(HttpHeaderNames.HOST, "primary");
      held.writeHead(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri, headers), false);
      held.end(null);
    }

    @Override
    public void connectFailed(Throwable cause) {
      answer.completeExceptionally(cause);
    }

    @Override
    public boolean withdrawn() {
      return withdrawn;
    }

    @Override
    public void answerContinue() {
    }

    @Override
    public void answerHead(HttpResponse response) {
      head = response;
      if (pauseFirst) {
        connection.pause();
      }
    }

    @Override
    public void answerChunk(ByteBuf data) {
      calls.add("chunk");
      take(data);
    }

    @Override
    public void answerEnd(HttpHeaders trailers) {
      calls.add("end");
      complete();
    }

    @Override
    public void answerLast(ByteBuf data, HttpHeaders trailers) {
      calls.add("last");
      take(data);
      complete();
    }

    private void take(ByteBuf data) {
      body.append(data.toString(StandardCharsets.UTF_8));
      data.release();
    }

    private void complete() {
      pool.release(connection, head, true);
      answer.complete(head.status().code() + " " + body);
    }

    @Override
    public void drained() {
    }

    @Override
    public void failed(Throwable cause) {
      answer.completeExceptionally(cause);
    }
  }

  private Call call(String uri) throws Exception {
    return call(target, uri, false);
  }

  private Call call(String uri, boolean pauseFirst) throws Exception {
    return call(target, uri, pauseFirst);
  }

  private Call call(Target to, String uri, boolean pauseFirst) throws Exception {
    Call call = new Call(uri, pauseFirst);
    onLoop(() -> {
      pool.acquire(to, call);
      return null;
    });
    return call;
  }

  private <T> T onLoop(Supplier<T> action) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    loop.runOnContext(v -> {
      try {
        result.complete(action.get());
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    });
    return result.get(10, TimeUnit.SECONDS);
  }
}
