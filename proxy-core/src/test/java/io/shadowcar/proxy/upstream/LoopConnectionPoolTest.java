package io.shadowcar.proxy.upstream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.shadowcar.common.target.TargetUrl;
import io.shadowcar.testkit.LogCapture;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.impl.ConnectionBase;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Waiting requests bounded and withdrawn, and an idle connection reset by its server, on one event loop. */
class LoopConnectionPoolTest {

  private final Vertx vertx = Vertx.vertx();
  private final List<HttpServerRequest> held = new CopyOnWriteArrayList<>();
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final List<HttpConnection> serverConnections = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private Context loop;
  private LoopConnectionPool pool;
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
          } else {
            request.response().end("ok");
          }
        })
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    TargetUrl url = TargetUrl.of(URI.create("http://127.0.0.1:" + server.actualPort()));
    target = Target.of(url, null);
    loop = vertx.getOrCreateContext();
    // one connection, at most two requests waiting for it
    pool = onLoop(() -> new LoopConnectionPool(vertx.createHttpClient(), 1, 2, true, 60_000));
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
  void aRequestBeyondTheWaitingBoundFailsAtOnce() throws Exception {
    Call first = call("/held/1");
    await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("/held/1"));
    Call second = call("/second");
    Call third = call("/third");
    Call fourth = call("/fourth");

    ExecutionException refused = assertThrows(ExecutionException.class, () -> fourth.status.get(10, TimeUnit.SECONDS));
    assertInstanceOf(ConnectionPoolTooBusyException.class, refused.getCause());
    assertTrue(!second.status.isDone() && !third.status.isDone(), "the first two still wait");

    held.remove(0).response().end("held");
    assertEquals(200, first.status.get(10, TimeUnit.SECONDS));
    assertEquals(200, second.status.get(10, TimeUnit.SECONDS));
    assertEquals(200, third.status.get(10, TimeUnit.SECONDS));
    assertEquals(List.of("/held/1", "/second", "/third"), received);
    assertEquals(1, connections.get());
  }

  @Test
  void aWithdrawnRequestNeitherGetsTheConnectionNorTakesAPlaceInTheQueue() throws Exception {
    Call first = call("/held/1");
    await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("/held/1"));
    Call gaveUp = call("/gave-up");
    Call alsoGaveUp = call("/also-gave-up");
    onLoop(() -> {
      gaveUp.pending.fail(new TimeoutException("deadline"));
      alsoGaveUp.pending.fail(new TimeoutException("deadline"));
      return null;
    });
    // both places are free again: two more may wait
    Call next = call("/next");
    Call last = call("/last");

    held.remove(0).response().end("held");
    assertEquals(200, first.status.get(10, TimeUnit.SECONDS));
    assertEquals(200, next.status.get(10, TimeUnit.SECONDS));
    assertEquals(200, last.status.get(10, TimeUnit.SECONDS));
    assertEquals(List.of("/held/1", "/next", "/last"), received, "the withdrawn requests never left");
    assertEquals(1, connections.get());
  }

  @Test
  void aRequestAfterCloseFailsAtOnceAndOpensNothing() throws Exception {
    onLoop(() -> {
      pool.close();
      return null;
    });
    Call late = call("/late");

    ExecutionException failed = assertThrows(ExecutionException.class, () -> late.status.get(10, TimeUnit.SECONDS));
    assertInstanceOf(IllegalStateException.class, failed.getCause());
    assertEquals(0, connections.get());
    assertEquals(List.of(), received);
  }

  @Test
  void anIdleConnectionResetByThePrimaryIsDroppedWithoutAnErrorLine() throws Exception {
    try (LogCapture vertxErrors = LogCapture.of(ConnectionBase.class, Level.ERROR)) {
      assertEquals(200, call("/first").status.get(10, TimeUnit.SECONDS));
      // the primary resets the idle keep-alive connection (a process killed with a request's bytes unread does)
      HttpConnection idle = serverConnections.get(0);
      Channel channel = ((ConnectionBase) idle).channel();
      channel.eventLoop().submit(() -> {
        channel.config().setOption(ChannelOption.SO_LINGER, 0);
        return channel.close();
      }).get(10, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(10)).until(() -> onLoop(pool::openConnections) == 0);

      assertEquals(200, call("/second").status.get(10, TimeUnit.SECONDS));
      assertEquals(2, connections.get(), "the reset connection was not used again");
      assertEquals(List.of(), vertxErrors.messages());
    }
  }

  /**
   * A request asked of the pool on the loop: once it has a connection it is sent, its whole answer read (the reader
   * set before any answer can come) and its connection given back; {@code status} completes with the answer's status,
   * or fails as the request did.
   */
  private record Call(Promise<HttpClientRequest> pending, CompletableFuture<Integer> status) {
  }

  private Call call(String uri) throws Exception {
    CompletableFuture<Integer> status = new CompletableFuture<>();
    Promise<HttpClientRequest> pending = onLoop(() -> {
      Promise<HttpClientRequest> promise = Promise.promise();
      promise.future().onComplete(ar -> {
        if (ar.failed()) {
          status.completeExceptionally(ar.cause());
          return;
        }
        HttpClientRequest request = ar.result();
        request.response().compose(response -> response.body().map(body -> response)).onComplete(read -> {
          if (read.failed()) {
            status.completeExceptionally(read.cause());
            return;
          }
          HttpClientResponse response = read.result();
          pool.release(request, response, true);
          status.complete(response.statusCode());
        });
        request.end();
      });
      pool.request(target, options(uri), promise);
      return promise;
    });
    return new Call(pending, status);
  }

  private RequestOptions options(String uri) {
    return new RequestOptions().setMethod(HttpMethod.GET).setServer(target.address()).setURI(uri);
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
