package io.shadowcar.proxy;

import static io.shadowcar.proxy.ProxyHarness.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ListeningSocketTest {

  private final VertxInternal vertx = (VertxInternal) Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));

  @AfterEach
  void close() {
    await(vertx.close());
  }

  @Test
  void serversOnDistinctLoopsGoOnOnceTheLastHasClaimedItsLoop() throws Exception {
    ContextInternal first = vertx.createEventLoopContext();
    ContextInternal second = vertx.createEventLoopContext();
    assertNotSame(first.nettyEventLoop(), second.nettyEventLoop());
    ListeningSocket socket = new ListeningSocket(2, true);
    Future<Void> firstClaim = socket.claimLoop(first);
    assertFalse(firstClaim.isComplete(), "a server went on before the other had a loop");
    Future<Void> secondClaim = socket.claimLoop(second);
    await(secondClaim);
    await(firstClaim);
    assertSame(first.nettyEventLoop(), threadOf(firstClaim, first), "the claim did not complete on the server's loop");
  }

  @Test
  void twoServersOnOneLoopFailBeforeEitherListens() {
    ContextInternal first = vertx.createEventLoopContext();
    ContextInternal sameLoop = vertx.contextBuilder().withEventLoop(first.nettyEventLoop()).build();
    ListeningSocket socket = new ListeningSocket(2, true);
    Future<Void> firstClaim = socket.claimLoop(first);
    Future<Void> secondClaim = socket.claimLoop(sameLoop);
    assertInstanceOf(ListeningSocket.SharedEventLoop.class, failureOf(firstClaim));
    assertInstanceOf(ListeningSocket.SharedEventLoop.class, failureOf(secondClaim));
  }

  @Test
  void sharedLoopsAreTakenWhenNotAskedForOneLoopPerServer() {
    ContextInternal first = vertx.createEventLoopContext();
    ContextInternal sameLoop = vertx.contextBuilder().withEventLoop(first.nettyEventLoop()).build();
    ListeningSocket socket = new ListeningSocket(2, false);
    Future<Void> firstClaim = socket.claimLoop(first);
    await(socket.claimLoop(sameLoop));
    await(firstClaim);
  }

  @Test
  void aServerThatFailsToStartReleasesTheOthers() {
    ListeningSocket socket = new ListeningSocket(2, true);
    Future<Void> waiting = socket.claimLoop(vertx.createEventLoopContext());
    IllegalStateException cause = new IllegalStateException("bad TLS options");
    socket.serverFailed(cause);
    assertSame(cause, failureOf(waiting));
  }

  @Test
  void allListeningCompletesWithTheLastServer() {
    ListeningSocket socket = new ListeningSocket(2, true);
    socket.serverListening();
    assertFalse(socket.allListening().isComplete());
    socket.serverListening();
    assertTrue(socket.allListening().succeeded());
  }

  /** The event loop whose thread ran {@code claim}'s listener. */
  private static Object threadOf(Future<Void> claim, ContextInternal context) throws Exception {
    CompletableFuture<Object> loop = new CompletableFuture<>();
    claim.onComplete(done -> loop.complete(context.nettyEventLoop().inEventLoop() ? context.nettyEventLoop() : null));
    return loop.get(10, TimeUnit.SECONDS);
  }

  private static Throwable failureOf(Future<Void> claim) {
    return await(claim.transform(done -> Future.succeededFuture(done.cause())));
  }
}
