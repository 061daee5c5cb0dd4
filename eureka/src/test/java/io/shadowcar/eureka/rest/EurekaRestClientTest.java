package io.shadowcar.eureka.rest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.shadowcar.testkit.LogCapture;
import io.shadowcar.testkit.ResettingServer;
import io.shadowcar.testkit.SidecarTransport;
import io.vertx.core.Vertx;
import io.vertx.core.net.impl.ConnectionBase;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EurekaRestClientTest {

  private final Vertx vertx = SidecarTransport.vertx();

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /**
   * A Eureka server that resets the connection (it restarts, or a balancer in front of it drops the connection) fails
   * the call, and the reset is logged at DEBUG: without a handler of its own on the connection, Vert.x would log each
   * one at ERROR.
   */
  @Test
  void aServerResettingTheConnectionFailsTheCallAndIsNoErrorInTheLog() throws Exception {
    try (ResettingServer resetting = ResettingServer.start();
        LogCapture vertxLog = LogCapture.of(ConnectionBase.class, Level.WARN);
        LogCapture clientLog = LogCapture.of(EurekaRestClient.class, Level.DEBUG)) {
      EurekaRestClient client = new EurekaRestClient(vertx,
          List.of(URI.create("http://127.0.0.1:" + resetting.port() + "/eureka")), Duration.ofSeconds(10),
          "shadowcar-test");
      try {
        assertTrue(client.renew("APP", "id-1", "UP", 1L).toCompletionStage().toCompletableFuture()
            .handle((response, failure) -> failure != null).get(20, TimeUnit.SECONDS), "the call failed");
        // the connection's own handler and Vert.x's ERROR line are either-or: once the one ran, the other cannot
        await().atMost(Duration.ofSeconds(10)).until(() -> !clientLog.messages().isEmpty());
        assertTrue(clientLog.messages().get(0).startsWith("connection to the Eureka server "),
            clientLog.messages().toString());
        assertEquals(List.of(), vertxLog.messages());
      } finally {
        client.close();
      }
    }
  }
}
