package io.shadowcar.health.check;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.shadowcar.health.CheckStatus;
import io.shadowcar.health.process.CapturedOutput;
import io.shadowcar.testkit.LogCapture;
import io.shadowcar.testkit.RefusingPort;
import io.shadowcar.testkit.ResettingServer;
import io.shadowcar.testkit.SidecarTransport;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.core.net.impl.ConnectionBase;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NetworkChecksTest {

  private Vertx vertx;
  private HttpServer server;
  private HttpClient client;

  @BeforeEach
  void start() throws Exception {
    vertx = SidecarTransport.vertx();
    server = vertx.createHttpServer().requestHandler(request -> {
      switch (request.path()) {
        case "/hang" -> { } // never answers
        case "/big" -> request.response().end("a".repeat(3000) + "b".repeat(7000));
        default -> {
          int code = Integer.parseInt(request.path().substring(1));
          request.response().setStatusCode(code)
              .end("status " + code + " keep-alive " + request.getHeader("Connection"));
        }
      }
    }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private CheckResult http(String path, Duration timeout) throws Exception {
    return new HttpCheck(vertx, client, definition(path, timeout), CapturedOutput.DEFAULT_CAPACITY).run()
        .toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  /** A check of {@code path} on the test's server, every second, with {@code timeout}. */
  private CheckDefinition definition(String path, Duration timeout) {
    URI url = URI.create("http://127.0.0.1:" + server.actualPort() + path);
    return new CheckDefinition("web", new CheckTarget.Http(url), Duration.ofSeconds(1), timeout, Thresholds.defaults());
  }

  /** A client whose requests {@code request} makes: a stand-in that sees or changes how a run asks. */
  private static HttpClient clientAsking(Function<RequestOptions, Future<HttpClientRequest>> request) {
    return new HttpClient() {
      @Override
      public Future<HttpClientRequest> request(RequestOptions options) {
        return request.apply(options);
      }

      @Override
      public Future<Void> shutdown(long timeout, TimeUnit unit) {
        return Future.succeededFuture();
      }
    };
  }

  /**
   * A service that resets the connection while its check waits (it crashed, or stops with the sidecar) makes the check
   * critical, and the reset is logged at DEBUG: without a handler of its own on the connection, Vert.x logs each one
   * at ERROR, once per check of a stopping service.
   */
  @Test
  void aServiceResettingTheConnectionIsCriticalAndNoErrorInTheLog() throws Exception {
    try (ResettingServer resetting = ResettingServer.start();
        LogCapture vertxLog = LogCapture.of(ConnectionBase.class, Level.WARN);
        LogCapture factoryLog = LogCapture.of(CheckFactory.class, Level.DEBUG);
        CheckFactory factory = new CheckFactory(vertx, null)) {
      URI url = URI.create("http://127.0.0.1:" + resetting.port() + "/health");
      CheckDefinition definition = new CheckDefinition("web", new CheckTarget.Http(url), Duration.ofSeconds(1),
          Duration.ofSeconds(10), Thresholds.defaults());
      CheckResult result = factory.create(definition).run().toCompletableFuture().get(20, TimeUnit.SECONDS);
      assertEquals(CheckStatus.CRITICAL, result.status(), result.output());
      // the connection's own handler and Vert.x's ERROR line are either-or: once the one ran, the other cannot
      await().atMost(Duration.ofSeconds(10)).until(() -> !factoryLog.messages().isEmpty());
      assertTrue(factoryLog.messages().get(0).startsWith("check connection to "), factoryLog.messages().toString());
      assertEquals(List.of(), vertxLog.messages());
    }
  }

  @ParameterizedTest
  @CsvSource({"200, PASSING", "204, PASSING", "299, PASSING", "429, WARNING", "500, CRITICAL", "503, CRITICAL",
      "404, CRITICAL", "301, CRITICAL"})
  void mapsHttpStatusLikeConsul(int code, CheckStatus expected) throws Exception {
    CheckResult result = http("/" + code, Duration.ofSeconds(10));
    assertEquals(expected, result.status());
    assertTrue(result.output().startsWith("HTTP GET http://127.0.0.1:" + server.actualPort() + "/" + code + ": "
        + code), result.output());
  }

  @Test
  void asksForNoKeepAliveAndShowsTheBody() throws Exception {
    CheckResult result = http("/200", Duration.ofSeconds(10));
    assertTrue(result.output().endsWith("Output: status 200 keep-alive close"), result.output());
  }

  /**
   * A response handed over after it ended (Vert.x ran the callback as a task after the end, seen once under load):
   * the run takes its status at once, where setting its handlers threw and left the run to its timeout.
   */
  @Test
  void aResponseThatEndedBeforeItsBodyWasReadStillGivesItsStatus() throws Exception {
    CheckDefinition definition = definition("/200", Duration.ofSeconds(10));
    HttpCheck check = new HttpCheck(vertx, client, definition, CapturedOutput.DEFAULT_CAPACITY);
    Promise<CheckResult> promise = Promise.promise();
    vertx.runOnContext(v -> client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/200")
        .compose(HttpClientRequest::send)
        .onSuccess(response -> response.end().onComplete(ended -> check.readBody(response, promise, System.nanoTime())))
        .onFailure(promise::tryFail));
    CheckResult result = promise.future().await(10, TimeUnit.SECONDS);
    assertEquals(CheckStatus.PASSING, result.status(), result.output());
    assertTrue(result.output().endsWith("200 OK Output: " + HttpCheck.ENDED_BEFORE_READ), result.output());
  }

  /**
   * The schedule calls {@code run} from its own thread. Had the request been made there, a listener added to a future
   * Vert.x had already completed would run later, after the response could have ended, and its body could not be read
   * (the race behind the test above). Each run must start on an event loop; the client records where it was asked.
   */
  @Test
  void aRunCalledFromAnotherThreadSendsItsRequestFromAnEventLoop() throws Exception {
    List<String> askedOn = new CopyOnWriteArrayList<>();
    HttpClient recording = clientAsking(options -> {
      askedOn.add(Context.isOnEventLoopThread() ? "event loop" : Thread.currentThread().getName());
      return client.request(options);
    });
    CheckDefinition definition = definition("/200", Duration.ofSeconds(10));
    HttpCheck check = new HttpCheck(vertx, recording, definition, CapturedOutput.DEFAULT_CAPACITY);
    for (int i = 0; i < 3; i++) {
      CheckResult result = check.run().toCompletableFuture().get(20, TimeUnit.SECONDS);
      assertTrue(result.output().endsWith("Output: status 200 keep-alive close"), result.output());
    }
    assertEquals(List.of("event loop", "event loop", "event loop"), askedOn);
  }

  /**
   * A run whose start throws (here its client) ends at once, failed, where the throw on its event loop left it to its
   * timeout, or to no end at all had it come before the timer was set.
   */
  @Test
  void aRunWhoseStartThrowsStillEnds() throws Exception {
    HttpClient throwing = clientAsking(options -> {
      throw new IllegalStateException("Client is closed");
    });
    CheckDefinition definition = definition("/200", Duration.ofSeconds(10));
    CompletableFuture<CheckResult> run = new HttpCheck(vertx, throwing, definition, CapturedOutput.DEFAULT_CAPACITY)
        .run().toCompletableFuture();
    ExecutionException failed = assertThrows(ExecutionException.class, () -> run.get(5, TimeUnit.SECONDS));
    assertEquals("Client is closed", failed.getCause().getMessage());
  }

  @Test
  void readsTheBodyOnlyUpToTheOutputCap() throws Exception {
    CheckResult result = http("/big", Duration.ofSeconds(10));
    assertEquals(CheckStatus.PASSING, result.status());
    String body = result.output().substring(result.output().indexOf("Output: ") + 8);
    assertEquals("a".repeat(3000) + "b".repeat(1096), body);
  }

  @Test
  void refusedConnectionIsCritical() throws Exception {
    CheckResult result;
    try (RefusingPort nowhere = RefusingPort.open()) {
      URI url = URI.create(nowhere.httpUri() + "/");
      CheckDefinition definition = CheckDefinition.of("web", new CheckTarget.Http(url), Thresholds.defaults());
      result = new HttpCheck(vertx, client, definition, CapturedOutput.DEFAULT_CAPACITY).run()
          .toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
    assertEquals(CheckStatus.CRITICAL, result.status());
    assertTrue(result.output().contains("refused"), result.output());
  }

  @Test
  void aServerThatNeverAnswersTimesOutCritical() throws Exception {
    CheckResult result = http("/hang", Duration.ofSeconds(1));
    assertEquals(CheckStatus.CRITICAL, result.status());
    assertTrue(result.output().endsWith("Timed out (1s)"), result.output());
  }

  @Test
  void httpsWithASelfSignedCertificateFailsUnlessTlsSkipVerify() throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
    HttpServer https = vertx.createHttpServer(new HttpServerOptions().setSsl(true)
            .setKeyCertOptions(certificate.keyCertOptions()))
        .requestHandler(request -> request.response().end("secure"))
        .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    URI url = URI.create("https://localhost:" + https.actualPort() + "/");
    HttpClient insecure = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false).setTrustAll(true)
        .setVerifyHost(false));
    CheckResult verified = new HttpCheck(vertx, client,
        CheckDefinition.of("tls", new CheckTarget.Http(url), Thresholds.defaults()), 4096).run()
        .toCompletableFuture().get(20, TimeUnit.SECONDS);
    CheckResult skipped = new HttpCheck(vertx, insecure,
        CheckDefinition.of("tls", new CheckTarget.Http(url, true), Thresholds.defaults()), 4096).run()
        .toCompletableFuture().get(20, TimeUnit.SECONDS);
    assertEquals(CheckStatus.CRITICAL, verified.status(), verified.output());
    assertEquals(CheckStatus.PASSING, skipped.status(), skipped.output());
    assertTrue(skipped.output().endsWith("Output: secure"), skipped.output());
  }

  @Test
  void tcpConnectToAnOpenPortPasses() throws Exception {
    CompletableFuture<Void> accepted = new CompletableFuture<>();
    NetServer tcp = vertx.createNetServer().connectHandler(socket -> accepted.complete(null))
        .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    CheckResult result = tcp(tcp.actualPort());
    assertEquals(CheckStatus.PASSING, result.status());
    assertEquals("TCP connect 127.0.0.1:" + tcp.actualPort() + ": Success", result.output());
    // The check passes once the kernel completed the handshake, which can be before the server took the connection:
    // closing the server then made Netty log a failed registration of the late accept.
    accepted.get(10, TimeUnit.SECONDS);
  }

  @Test
  void tcpConnectToAClosedPortIsCritical() throws Exception {
    CheckResult result;
    try (RefusingPort nowhere = RefusingPort.open()) {
      result = tcp(nowhere.port());
    }
    assertEquals(CheckStatus.CRITICAL, result.status());
    assertTrue(result.output().contains("refused"), result.output());
  }

  private CheckResult tcp(int port) throws Exception {
    CheckDefinition definition = CheckDefinition.of("tcp", new CheckTarget.Tcp("127.0.0.1", port),
        Thresholds.defaults());
    return new TcpCheck(vertx.createNetClient(new NetClientOptions().setConnectTimeout(5000)), definition).run()
        .toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
