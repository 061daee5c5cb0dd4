package io.shadowcar.proxy.upstream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shadowcar.common.target.TargetUrl;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
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

/** The bound on waiting requests and the withdrawal of a waiting request, on one event loop. */
class LoopConnectionPoolTest {

  private final Vertx vertx = Vertx.vertx();
  private final List<HttpServerRequest> held = new CopyOnWriteArrayList<>();
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private HttpServer server;
  private Context loop;
  private LoopConnectionPool pool;
  private Target target;

  @BeforeEach
  void start() throws Exception {
    server = vertx.createHttpServer()
        .connectionHandler(connection -> connections.incrementAndGet())
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
    target = new Target(url, SocketAddress.inetSocketAddress(url.port(), url.host()), null, UpstreamClients.slot(url));
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
    HttpClientRequest first = send("/held/1").get(10, TimeUnit.SECONDS);
    Promise<HttpClientRequest> second = waiting("/second");
    Promise<HttpClientRequest> third = waiting("/third");
    Promise<HttpClientRequest> fourth = waiting("/fourth");

    ExecutionException refused = assertThrows(ExecutionException.class,
        () -> fourth.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
    assertInstanceOf(ConnectionPoolTooBusyException.class, refused.getCause());
    assertTrue(!second.future().isComplete() && !third.future().isComplete(), "the first two still wait");

    answerHeldAndRelease(first);
    assertEquals(200, endAndRelease(second.future().toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS)));
    assertEquals(200, endAndRelease(third.future().toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS)));
    assertEquals(List.of("/held/1", "/second", "/third"), received);
    assertEquals(1, connections.get());
  }

  @Test
  void aWithdrawnRequestNeitherGetsTheConnectionNorTakesAPlaceInTheQueue() throws Exception {
    HttpClientRequest first = send("/held/1").get(10, TimeUnit.SECONDS);
    Promise<HttpClientRequest> gaveUp = waiting("/gave-up");
    Promise<HttpClientRequest> alsoGaveUp = waiting("/also-gave-up");
    onLoop(() -> {
      gaveUp.fail(new TimeoutException("deadline"));
      alsoGaveUp.fail(new TimeoutException("deadline"));
      return null;
    });
    // both places are free again: two more may wait
    Promise<HttpClientRequest> next = waiting("/next");
    Promise<HttpClientRequest> last = waiting("/last");

    answerHeldAndRelease(first);
    assertEquals(200, endAndRelease(next.future().toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS)));
    assertEquals(200, endAndRelease(last.future().toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS)));
    assertEquals(List.of("/held/1", "/next", "/last"), received, "the withdrawn requests never left");
    assertEquals(1, connections.get());
  }

  /** A request sent on the loop; completes once its connection is there and it has been sent. */
  private CompletableFuture<HttpClientRequest> send(String uri) throws Exception {
    CompletableFuture<HttpClientRequest> sent = new CompletableFuture<>();
    loop.runOnContext(v -> pool.request(target, options(uri)).onComplete(ar -> {
      if (ar.failed()) {
        sent.completeExceptionally(ar.cause());
        return;
      }
      ar.result().end();
      sent.complete(ar.result());
    }));
    // held on the server before the next request is queued behind it
    await().atMost(Duration.ofSeconds(10)).until(() -> received.contains(uri));
    return sent;
  }

  private Promise<HttpClientRequest> waiting(String uri) throws Exception {
    return onLoop(() -> {
      Promise<HttpClientRequest> promise = Promise.promise();
      pool.request(target, options(uri), promise);
      return promise;
    });
  }

  private void answerHeldAndRelease(HttpClientRequest request) throws Exception {
    held.remove(0).response().end("held");
    release(request, false);
  }

  /** Sends a request that got its connection, reads its whole response and gives the connection back. */
  private int endAndRelease(HttpClientRequest request) throws Exception {
    return release(request, true);
  }

  /** Reads the whole response of {@code request} (ended first when {@code end}), gives the connection back. */
  private int release(HttpClientRequest request, boolean end) throws Exception {
    CompletableFuture<Integer> status = new CompletableFuture<>();
    loop.runOnContext(v -> {
      if (end) {
        request.end();
      }
      request.response().compose(response -> response.body().map(body -> response))
          .onComplete(ar -> {
            if (ar.failed()) {
              status.completeExceptionally(ar.cause());
              return;
            }
            HttpClientResponse response = ar.result();
            pool.release(request, response, true);
            status.complete(response.statusCode());
          });
    });
    return status.get(10, TimeUnit.SECONDS);
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
