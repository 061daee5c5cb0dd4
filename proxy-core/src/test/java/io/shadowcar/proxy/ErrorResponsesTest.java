package io.shadowcar.proxy;

import static io.shadowcar.proxy.ProxyHarness.await;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shadowcar.proxy.ProxyMetrics.Outcome;
import io.shadowcar.proxy.tap.TrafficTap;
import io.shadowcar.proxy.upstream.TargetSource;
import io.shadowcar.testkit.LeakDetectionExtension;
import io.shadowcar.testkit.RefusingPort;
import io.shadowcar.testkit.backend.RecordingBackend;
import io.shadowcar.testkit.backend.RecordingBackend.Responder;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakDetectionExtension.class)
class ErrorResponsesTest {

  private final ProxyHarness harness = new ProxyHarness();
  private final RefusingPort nowhere = RefusingPort.open();

  @AfterEach
  void close() {
    harness.close();
    nowhere.close();
  }

  private HttpServer server(io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest> handler) {
    return await(harness.vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1"))
        .requestHandler(handler).listen(0, "127.0.0.1"));
  }

  private static URI uri(HttpServer server) {
    return URI.create("http://127.0.0.1:" + server.actualPort());
  }

  @Test
  void refusedPrimaryGives502AndCountsRefused() throws IOException {
    harness.start(List.of(nowhere.httpUri()));
    String answer = harness.raw("GET /x HTTP/1.1\r\nHost: a\r\nX-Request-Id: r-502\r\nConnection: close\r\n\r\n");
    assertTrue(answer.startsWith("HTTP/1.1 502"), answer);
    assertTrue(answer.endsWith("primary unreachable\n"), answer);
    assertTrue(answer.contains("\r\nx-request-id: r-502\r\n"), "a caller can find its request: " + answer);
    assertEquals(1, harness.errors(ProxyError.REFUSED));
    assertEquals(1, harness.requests("5xx", Outcome.ERROR));
  }

  @Test
  void silentPrimaryGives504AfterThePrimaryTimeout() {
    HttpServer silent = server(req -> {});
    harness.start(ProxyHarness.config(300, 1_000, ProxyHarness.config().breaker()), TargetSource.parse(uri(silent).toString()),
        TrafficTap.NONE);
    String answer = harness.raw("GET /slow HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    assertTrue(answer.startsWith("HTTP/1.1 504"), answer);
    assertTrue(answer.endsWith("primary timed out\n"), answer);
    assertEquals(1, harness.errors(ProxyError.TIMEOUT));
  }

  @Test
  void noTargetGives503WithTheRequestId() {
    harness.start(List.of());
    String answer = harness.raw("GET / HTTP/1.1\r\nHost: a\r\nX-Request-Id: lost-1\r\nConnection: close\r\n\r\n");
    assertTrue(answer.startsWith("HTTP/1.1 503"), answer);
    assertTrue(answer.endsWith("no primary target available (none configured or discovered)\n"), answer);
    assertTrue(answer.contains("\r\nx-request-id: lost-1\r\n"), answer);
    assertEquals(1, harness.errors(ProxyError.NO_TARGET));
  }

  @Test
  void malformedRequestGives400AndTheProxyKeepsServing() {
    RecordingBackend backend = RecordingBackend.start(harness.vertx, Responder.ok());
    harness.start(List.of(backend.uri()));
    String answer = harness.raw("GET / HTTP/1.1\r\nHost: a\r\nthis is not a header\r\n\r\n");
    assertTrue(answer.matches("(?s)HTTP/1\\.[01] 400 .*"), answer);
    assertTrue(answer.endsWith("malformed request\n"), answer);
    assertTrue(answer.matches("(?s).*\r\nx-request-id: [0-9a-f]{32}\r\n.*"), "rejections carry an id too: " + answer);
    String garbage = harness.raw("\u0001\u0002 nonsense\r\n\r\n");
    assertTrue(garbage.matches("(?s)HTTP/1\\.[01] 400 .*"), garbage);
    assertEquals(2, harness.errors(ProxyError.MALFORMED));
    assertEquals(0, backend.requests().size());
    assertTrue(harness.raw("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").startsWith("HTTP/1.1 200"));
  }

  @Test
  void oversizedHeadersGive431() {
    RecordingBackend backend = RecordingBackend.start(harness.vertx, Responder.ok());
    harness.start(List.of(backend.uri()));
    String answer = harness.raw("GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + "x".repeat(9_000) + "\r\n\r\n");
    assertTrue(answer.matches("(?s)HTTP/1\\.[01] 431 .*"), answer);
    assertTrue(answer.endsWith("request headers too large\n"), answer);
    assertEquals(1, harness.errors(ProxyError.HEADERS_TOO_LARGE));
    assertEquals(1, harness.requests("4xx", Outcome.ERROR));
    assertEquals(0, backend.requests().size());
  }

  @Test
  void overlongRequestLineGives414() {
    RecordingBackend backend = RecordingBackend.start(harness.vertx, Responder.ok());
    harness.start(List.of(backend.uri()));
    String answer = harness.raw("GET /" + "a".repeat(5_000) + " HTTP/1.1\r\nHost: a\r\n\r\n");
    assertTrue(answer.matches("(?s)HTTP/1\\.[01] 414 .*"), answer);
    assertEquals(1, harness.errors(ProxyError.MALFORMED));
  }

  @Test
  void callerLeavingMidResponseAbortsThePrimaryRequest() throws Exception {
    CountDownLatch primaryAborted = new CountDownLatch(1);
    HttpServer streaming = server(req -> {
      req.response().setChunked(true).write("first-chunk");
      req.response().closeHandler(v -> primaryAborted.countDown());
    });
    harness.start(List.of(uri(streaming)));
    try (Socket socket = new Socket("127.0.0.1", harness.port())) {
      OutputStream out = socket.getOutputStream();
      out.write("GET /stream HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      readUntil(socket.getInputStream(), "first-chunk");
    }
    assertTrue(primaryAborted.await(10, TimeUnit.SECONDS), "the primary's request was not aborted");
    await().atMost(Duration.ofSeconds(10)).until(() -> harness.errors(ProxyError.CALLER_RESET) == 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> harness.active() == 0);
    assertEquals(1, harness.requests("2xx", Outcome.ABORTED));
  }

  @Test
  void callerLeavingMidUploadAbortsThePrimaryRequest() throws Exception {
    CountDownLatch primaryAborted = new CountDownLatch(1);
    CountDownLatch bodyStarted = new CountDownLatch(1);
    HttpServer sink = server(req -> {
      req.handler(chunk -> bodyStarted.countDown());
      req.exceptionHandler(e -> primaryAborted.countDown());
    });
    harness.start(List.of(uri(sink)));
    try (Socket socket = new Socket("127.0.0.1", harness.port())) {
      OutputStream out = socket.getOutputStream();
      out.write("PUT /up HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\npartial".getBytes(
          StandardCharsets.ISO_8859_1));
      out.flush();
      assertTrue(bodyStarted.await(10, TimeUnit.SECONDS));
    }
    assertTrue(primaryAborted.await(10, TimeUnit.SECONDS), "the primary's request was not aborted");
    await().atMost(Duration.ofSeconds(10)).until(() -> harness.errors(ProxyError.CALLER_RESET) == 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> harness.active() == 0);
  }

  @Test
  void h2cCallerResettingItsStreamAbortsThePrimaryRequest() throws Exception {
    CountDownLatch primaryAborted = new CountDownLatch(1);
    HttpServer streaming = server(req -> {
      req.response().setChunked(true).write("first-chunk");
      req.response().closeHandler(v -> primaryAborted.countDown());
    });
    harness.start(List.of(uri(streaming)));
    CountDownLatch firstChunk = new CountDownLatch(1);
    io.vertx.core.http.HttpClientRequest request = await(harness.h2cClient().request(
        io.vertx.core.http.HttpMethod.GET, "/stream"));
    request.response().onSuccess(resp -> resp.handler(chunk -> firstChunk.countDown()));
    await(request.end());
    assertTrue(firstChunk.await(10, TimeUnit.SECONDS));
    await(request.reset());
    assertTrue(primaryAborted.await(10, TimeUnit.SECONDS), "the primary's request was not aborted");
    await().atMost(Duration.ofSeconds(10)).until(() -> harness.errors(ProxyError.CALLER_RESET) == 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> harness.active() == 0);
  }

  @Test
  void primaryLeavingMidResponseResetsTheCaller() throws Exception {
    HttpServer dying = server(req -> {
      req.response().setChunked(true).write("partial");
      harness.vertx.setTimer(50, id -> req.connection().close());
    });
    harness.start(List.of(uri(dying)));
    String answer = harness.raw("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
    assertTrue(answer.contains("partial"), answer);
    assertTrue(!answer.endsWith("0\r\n\r\n"), "a truncated response must not look complete: " + answer);
    await().atMost(Duration.ofSeconds(10)).until(() -> harness.errors(ProxyError.UPSTREAM_RESET) == 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> harness.active() == 0);
  }

  @Test
  void failingTargetSourceGives500InsteadOfAHang() {
    TargetSource broken = () -> {
      throw new IllegalStateException("discovery exploded");
    };
    harness.start(ProxyHarness.config(), broken, TrafficTap.NONE);
    String answer = harness.raw("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    assertTrue(answer.startsWith("HTTP/1.1 500") && answer.endsWith("proxy error\n"), answer);
    assertEquals(1, harness.errors(ProxyError.INTERNAL));
    assertEquals(0, harness.active());
  }

  @Test
  void invalidPrimaryResponseGives502() {
    // A raw primary whose header value holds a control character: the client refuses the response.
    io.vertx.core.net.NetServer raw = await(harness.vertx.createNetServer()
        .connectHandler(socket -> socket.handler(bytes -> socket.write(
            "HTTP/1.1 200 OK\r\nX-Bad: a\u0001b\r\nContent-Length: 2\r\n\r\nok")))
        .listen(0, "127.0.0.1"));
    harness.start(List.of(URI.create("http://127.0.0.1:" + raw.actualPort())));
    String answer = harness.raw("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    assertTrue(answer.startsWith("HTTP/1.1 502") && answer.endsWith("primary unreachable\n"), answer);
    assertEquals(1, harness.errors(ProxyError.REFUSED));
    await().atMost(Duration.ofSeconds(10)).until(() -> harness.active() == 0);
  }

  private static void readUntil(InputStream in, String marker) throws IOException {
    StringBuilder seen = new StringBuilder();
    byte[] buf = new byte[1024];
    while (seen.indexOf(marker) < 0) {
      int n = in.read(buf);
      if (n < 0) {
        throw new IOException("closed before " + marker + ": " + seen);
      }
      seen.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
    }
  }
}
