package io.shadowcar.proxy.upstream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.shadowcar.common.target.TargetUrl;
import io.shadowcar.proxy.tls.UpstreamTls;
import io.shadowcar.testkit.LogCapture;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.impl.ConnectionBase;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The connections of Vert.x's own pools (TLS, HTTP/2 and upgrade requests to primaries, copies to such shadows): one
 * reset by its server while idle is dropped quietly, as a restarting server does to every keep-alive connection. (An
 * HTTP/2 connection reset so is not logged at ERROR by Vert.x in any case; HTTP/1.1 ones were.)
 */
class UpstreamClientsTest {

  private final Vertx vertx = Vertx.vertx();
  private final List<HttpConnection> serverConnections = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private UpstreamClients clients;
  private TargetUrl url;

  @BeforeEach
  void start() throws Exception {
    server = vertx.createHttpServer()
        .connectionHandler(serverConnections::add)
        .requestHandler(request -> request.response().end("ok"))
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    url = TargetUrl.of(URI.create("http://127.0.0.1:" + server.actualPort()));
    clients = UpstreamClients.create(vertx, new HttpClientOptions(), new PoolOptions(), UpstreamTls.defaults());
  }

  @AfterEach
  void stop() throws Exception {
    clients.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void anIdleHttp11ConnectionResetByItsServerLogsNoError() throws Exception {
    assertResetIdleConnectionIsQuiet(clients.client(UpstreamClients.slot(url)), HttpVersion.HTTP_1_1);
  }

  private void assertResetIdleConnectionIsQuiet(HttpClient client, HttpVersion expected) throws Exception {
    try (LogCapture vertxErrors = LogCapture.of(ConnectionBase.class, Level.ERROR)) {
      assertEquals(expected, get(client, "/first"));
      assertEquals(1, serverConnections.size());
      reset(serverConnections.get(0));
      // the client sees the reset, drops the connection and opens a new one for the next request
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        assertEquals(expected, get(client, "/again"));
        assertEquals(2, serverConnections.size());
      });
      assertEquals(List.of(), vertxErrors.messages());
    }
  }

  private HttpVersion get(HttpClient client, String uri) throws Exception {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET)
        .setServer(Target.of(url, null).address()).setURI(uri);
    return client.request(options)
        .compose(request -> request.send().compose(response -> response.body().map(body -> response.version())))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Closes the server's side with a reset, as a process killed with a request's bytes unread does. */
  private static void reset(HttpConnection connection) throws Exception {
    Channel channel = ((ConnectionBase) connection).channel();
    channel.eventLoop().submit(() -> {
      channel.config().setOption(ChannelOption.SO_LINGER, 0);
      return channel.close();
    }).get(10, TimeUnit.SECONDS);
  }
}
