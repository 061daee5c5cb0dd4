package io.shadowcar.proxy;

import static io.shadowcar.proxy.H2Caller.fields;
import static io.shadowcar.proxy.H2Caller.post;
import static io.shadowcar.proxy.ProxyHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.shadowcar.common.target.TargetUrl;
import io.shadowcar.proxy.tap.TrafficTap;
import io.shadowcar.proxy.tls.ServerTls;
import io.shadowcar.proxy.tls.UpstreamTls;
import io.shadowcar.proxy.upstream.TargetSource;
import io.shadowcar.testkit.LeakDetectionExtension;
import io.shadowcar.testkit.tls.TestCertificates;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.NetServer;
import java.net.URI;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trailer fields cross the proxy in both directions: chunked HTTP/1.1 trailers, and HTTP/2 trailing HEADERS, from
 * either kind of caller to either kind of primary. The HTTP/2 callers and the h2c primary are Netty's own HTTP/2
 * codec: Vert.x can neither send request trailers nor see them.
 */
@ExtendWith(LeakDetectionExtension.class)
class TrailersTest {

  private static final Http2Headers CHECKSUM = fields("x-checksum", "5d41402a", "x-other", "two");

  private static final String CHUNKED_ANSWER = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
      + "Trailer: X-Digest\r\n\r\n5\r\nhello\r\n0\r\nX-Digest: sha-256=abc\r\nX-Count: 1\r\n\r\n";

  private final ProxyHarness harness = new ProxyHarness();

  @AfterEach
  void close() {
    harness.close();
  }

  /** A primary on a raw socket: keeps the bytes of one request (up to the end of its chunked body) and answers. */
  private CompletableFuture<String> rawPrimary(String answer) {
    CompletableFuture<String> received = new CompletableFuture<>();
    NetServer server = harness.vertx.createNetServer().connectHandler(socket -> {
      Buffer seen = Buffer.buffer();
      socket.handler(bytes -> {
        seen.appendBuffer(bytes);
        String text = seen.toString(StandardCharsets.ISO_8859_1);
        int head = text.indexOf("\r\n\r\n");
        if (head > 0 && text.indexOf("\r\n0\r\n", head) > 0 && text.endsWith("\r\n\r\n")
            && text.lastIndexOf("\r\n\r\n") > text.indexOf("\r\n0\r\n", head)) {
          received.complete(text);
          socket.write(answer);
        }
      });
    });
    await(server.listen(0, "127.0.0.1"));
    harness.start(List.of(URI.create("http://127.0.0.1:" + server.actualPort())));
    return received;
  }

  @Test
  void chunkedRequestTrailersReachThePrimaryAndResponseTrailersReachTheCaller() throws Exception {
    CompletableFuture<String> primary = rawPrimary(CHUNKED_ANSWER);
    String answer = harness.raw("POST /upload HTTP/1.1\r\nHost: svc\r\nTransfer-Encoding: chunked\r\n"
        + "Trailer: X-Checksum\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\nX-Checksum: 5d41402a\r\n"
        + "X-Other: two\r\n\r\n");
    String forwarded = primary.get(10, TimeUnit.SECONDS);
    String body = forwarded.substring(forwarded.indexOf("\r\n\r\n") + 4);
    assertEquals("5\r\nhello\r\n0\r\nX-Checksum: 5d41402a\r\nX-Other: two\r\n\r\n", body);
    assertTrue(forwarded.toLowerCase().contains("\r\ntrailer: x-checksum\r\n"), forwarded);

    assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
    String tail = answer.substring(answer.indexOf("\r\n\r\n") + 4);
    assertEquals("5\r\nhello\r\n0\r\nx-digest: sha-256=abc\r\nx-count: 1\r\n\r\n", tail.toLowerCase());
  }

  @Test
  void aChunkedRequestWithoutTrailersStillEndsPlainly() throws Exception {
    CompletableFuture<String> primary = rawPrimary(CHUNKED_ANSWER);
    harness.raw("POST /upload HTTP/1.1\r\nHost: svc\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        + "5\r\nhello\r\n0\r\n\r\n");
    String forwarded = primary.get(10, TimeUnit.SECONDS);
    assertEquals("5\r\nhello\r\n0\r\n\r\n", forwarded.substring(forwarded.indexOf("\r\n\r\n") + 4));
  }

  @Test
  void responseTrailersOfAnHttp1PrimaryBecomeTrailingHeadersForAnHttp2Caller() {
    HttpServer primary = harness.vertx.createHttpServer().requestHandler(req -> req.response().setChunked(true)
        .putTrailer("grpc-status", "0").putTrailer("grpc-message", "fine").end("payload"));
    await(primary.listen(0, "127.0.0.1"));
    harness.start(List.of(URI.create("http://127.0.0.1:" + primary.actualPort())));
    for (HttpClient client : List.of(harness.client, harness.h2cClient())) {
      HttpClientResponse[] response = new HttpClientResponse[1];
      Buffer body = await(client.request(HttpMethod.GET, "/t").compose(req -> req.send().compose(resp -> {
        response[0] = resp;
        return resp.body();
      })));
      assertEquals("payload", body.toString());
      MultiMap trailers = response[0].trailers();
      assertEquals("0", trailers.get("grpc-status"), response[0].version().toString());
      assertEquals("fine", trailers.get("grpc-message"));
    }
  }

  /** A proxy in front of {@code primary} (h2c, prior knowledge), callers' header sections bounded as given. */
  private void startBefore(H2Primary primary, int maxHeaderBytes) {
    harness.start(ProxyHarness.config(maxHeaderBytes),
        TargetSource.of(List.of(TargetUrl.parse("h2c://127.0.0.1:" + primary.port()))), TrafficTap.NONE);
  }

  @Test
  void anHttp2CallersTrailersReachAnHttp1PrimaryInTheLastChunk() throws Exception {
    CompletableFuture<String> primary = rawPrimary(CHUNKED_ANSWER);
    try (H2Caller caller = new H2Caller(harness.port())) {
      H2Caller.Answer answer = caller.call(post("/upload"), List.of("hello"), CHECKSUM);
      String forwarded = primary.get(10, TimeUnit.SECONDS);
      assertEquals("5\r\nhello\r\n0\r\nx-checksum: 5d41402a\r\nx-other: two\r\n\r\n",
          forwarded.substring(forwarded.indexOf("\r\n\r\n") + 4));
      assertEquals(200, answer.status());
      assertEquals("sha-256=abc", answer.trailers.get("x-digest").toString());
    }
  }

  @Test
  void anHttp2CallersTrailersReachAnH2cPrimaryAsTrailingHeadersOfTheirOwnStream() throws Exception {
    try (H2Primary primary = new H2Primary()) {
      startBefore(primary, 8192);
      try (H2Caller caller = new H2Caller(harness.port())) {
        H2Caller.Answer answer = caller.call(post("/upload"), List.of("hel", "lo"), CHECKSUM);
        assertEquals(200, answer.status());
        assertEquals("ok", answer.bodyText());
        H2Primary.Received first = primary.next();
        assertEquals("/upload", first.head.path().toString());
        assertEquals("hello", first.bodyText());
        assertEquals(5, first.bodyBytesBeforeTrailers);
        assertEquals(CHECKSUM, first.trailers);

        // the next stream of the same connection has its own trailers, or none
        assertEquals(200, caller.call(post("/plain"), List.of("bye"), null).status());
        H2Primary.Received second = primary.next();
        assertEquals("bye", second.bodyText());
        assertNull(second.trailers);
        assertEquals(200, caller.call(post("/empty"), List.of(), fields("x-only", "trailers")).status());
        H2Primary.Received third = primary.next();
        assertEquals("", third.bodyText());
        assertEquals(fields("x-only", "trailers"), third.trailers);
      }
    }
  }

  @Test
  void anHttp1CallersTrailersReachAnH2cPrimaryAfterItsWholeBody() throws Exception {
    try (H2Primary primary = new H2Primary()) {
      startBefore(primary, 8192);
      String small = harness.raw("POST /upload HTTP/1.1\r\nHost: svc\r\nTransfer-Encoding: chunked\r\n"
          + "Trailer: X-Checksum\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\nX-Checksum: 5d41402a\r\n"
          + "X-Other: two\r\n\r\n");
      assertTrue(small.startsWith("HTTP/1.1 200"), small);
      H2Primary.Received received = primary.next();
      assertEquals("hello", received.bodyText());
      assertEquals(CHECKSUM, received.trailers);

      // far more than the primary's window: most of the body still waits for it when the request ends
      int size = 20 * H2Primary.WINDOW;
      String body = "x".repeat(size);
      String large = harness.raw("POST /upload HTTP/1.1\r\nHost: svc\r\nTransfer-Encoding: chunked\r\n"
          + "Connection: close\r\n\r\n" + Integer.toHexString(size) + "\r\n" + body + "\r\n0\r\n"
          + "X-Checksum: 5d41402a\r\n\r\n");
      assertTrue(large.startsWith("HTTP/1.1 200"), large);
      received = primary.next();
      assertEquals(size, received.bodyBytesBeforeTrailers);
      assertEquals(body, received.bodyText());
      assertEquals(fields("x-checksum", "5d41402a"), received.trailers);
    }
  }

  @Test
  void forbiddenTrailerFieldsAreRefusedFromEitherKindOfCaller() throws Exception {
    try (H2Primary primary = new H2Primary()) {
      startBefore(primary, 8192);
      List<String> forbidden = List.of("Host: elsewhere", "Content-Length: 5", "Transfer-Encoding: chunked",
          "Trailer: X-Checksum", "Connection: close", "Keep-Alive: timeout=5", "TE: trailers", "Upgrade: h2c",
          "Proxy-Authorization: Basic eA==");
      for (String field : forbidden) {
        String answer = harness.raw("POST /upload HTTP/1.1\r\nHost: svc\r\nTransfer-Encoding: chunked\r\n"
            + "Connection: close\r\n\r\n5\r\nhello\r\n0\r\nX-Checksum: 5d41402a\r\n" + field + "\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 400 "), field + ": " + answer);
      }
      assertEquals(forbidden.size(), harness.rejected(Rejection.BAD_TRAILER.tag()));

      try (H2Caller caller = new H2Caller(harness.port())) {
        // what HTTP/2 lets through is refused by the proxy, like the same fields over HTTP/1.1
        List<Http2Headers> refused = List.of(fields("host", "elsewhere"), fields("content-length", "5"),
            fields("trailer", "x-checksum"), fields("te", "trailers"), fields("proxy-authorization", "Basic eA=="));
        for (Http2Headers trailers : refused) {
          H2Caller.Answer answer = caller.call(post("/upload"), List.of("hello"), trailers);
          assertEquals(400, answer.status(), trailers.toString());
          assertEquals(Rejection.BAD_TRAILER.body(), answer.bodyText());
        }
        assertEquals(forbidden.size() + refused.size(), harness.rejected(Rejection.BAD_TRAILER.tag()));
        // pseudo-header and connection-specific fields: HTTP/2 itself resets the stream (RFC 9113, section 8.1.1)
        for (Http2Headers trailers : List.of(fields(":path", "/other"), fields("connection", "close"),
            fields("transfer-encoding", "chunked"), fields("te", "gzip"))) {
          H2Caller.Answer answer = caller.call(post("/upload"), List.of("hello"), trailers);
          assertEquals(Http2Error.PROTOCOL_ERROR.code(), answer.resetCode, trailers.toString());
        }
        // the connection still serves its other streams
        assertEquals(200, caller.call(post("/upload"), List.of("hello"), CHECKSUM).status());
      }
      assertEquals(CHECKSUM, primary.next().trailers);
      assertNull(primary.poll(), "no refused request reached the primary");
    }
  }

  @Test
  void anHttp2TrailerSectionOverMaxHeaderBytesIsRefused() throws Exception {
    try (H2Primary primary = new H2Primary()) {
      startBefore(primary, 1024);
      try (H2Caller caller = new H2Caller(harness.port())) {
        H2Caller.Answer answer = caller.call(post("/upload"), List.of("hello"), fields("x-big", "b".repeat(1100)));
        assertEquals(400, answer.status());
        assertEquals(1, harness.rejected(Rejection.BAD_TRAILER.tag()));
        assertEquals(200, caller.call(post("/upload"), List.of("hello"), fields("x-small", "s".repeat(900)))
            .status());
      }
      assertEquals("s".repeat(900), primary.next().trailers.get("x-small").toString());
      assertNull(primary.poll());
    }
  }

  @Test
  void anHttp2CallerOverTlsHasItsTrailersForwardedToo(@TempDir Path dir) throws Exception {
    TestCertificates ca = TestCertificates.authority("shadowcar test CA");
    ca.issue("localhost", "127.0.0.1").write(dir.resolve("tls.crt"), dir.resolve("tls.key"));
    try (H2Primary primary = new H2Primary()) {
      ServerTls tls = new ServerTls(dir.resolve("tls.crt"), dir.resolve("tls.key"), 1);
      harness.start(ProxyHarness.config().withTls(Optional.of(tls), UpstreamTls.defaults()),
          TargetSource.of(List.of(TargetUrl.parse("h2c://127.0.0.1:" + primary.port()))), TrafficTap.NONE);
      try (H2Caller caller = H2Caller.overTls(harness.port(), ca.certificate())) {
        assertEquals(200, caller.call(post("/upload"), List.of("hello"), CHECKSUM).status());
        assertEquals(400, caller.call(post("/upload"), List.of("hello"), fields("host", "elsewhere")).status());
      }
      H2Primary.Received received = primary.next();
      assertEquals("hello", received.bodyText());
      assertEquals(CHECKSUM, received.trailers);
      assertNull(primary.poll());
    }
  }

  @Test
  void anHttp2RequestWithALengthHasNoPlaceForItsTrailersOnHttp1AndTheyAreCounted() throws Exception {
    HttpServer primary = harness.vertx.createHttpServer()
        .requestHandler(req -> req.body().onSuccess(body -> req.response().end(body)));
    await(primary.listen(0, "127.0.0.1"));
    harness.start(List.of(URI.create("http://127.0.0.1:" + primary.actualPort())));
    try (H2Caller caller = new H2Caller(harness.port())) {
      H2Caller.Answer answer = caller.call(post("/upload").set("content-length", "5"), List.of("hello"), CHECKSUM);
      assertEquals(200, answer.status());
      assertEquals("hello", answer.bodyText());
    }
    assertEquals(1, harness.registry.get(ProxyMetrics.REQUEST_TRAILERS_DROPPED)
        .tag(ProxyMetrics.TAG_REASON, ProxyMetrics.DROPPED_LENGTH).counter().count());
  }
}
