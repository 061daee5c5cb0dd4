package io.shadowcar.proxy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shadowcar.proxy.tap.TrafficTap;
import io.shadowcar.proxy.upstream.TargetSource;
import io.shadowcar.testkit.LeakDetectionExtension;
import io.shadowcar.testkit.backend.RecordingBackend;
import io.shadowcar.testkit.backend.RecordingBackend.Recorded;
import io.shadowcar.testkit.backend.RecordingBackend.Responder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The traffic port as the strict hop (RFC 9112): exact bytes on a raw socket, the exact answer, whether the
 * connection was closed ({@link ProxyHarness#raw} returns only once the proxy closed it), and what the primary
 * received. A smuggled request would show up at the primary as {@code /smuggled}.
 */
@ExtendWith(LeakDetectionExtension.class)
class StrictFramingTest {

  private static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n";

  private final ProxyHarness harness = new ProxyHarness();
  private RecordingBackend backend;

  @AfterEach
  void close() {
    harness.close();
  }

  private void start(boolean h2cUpgrade) {
    backend = RecordingBackend.start(harness.vertx, Responder.echo());
    harness.start(ProxyHarness.config().withH2cUpgrade(h2cUpgrade), TargetSource.parse(backend.uri().toString()),
        TrafficTap.NONE);
  }

  private void start() {
    start(false);
  }

  /** Sends one more good request and waits for it, then returns the URIs the primary saw before it. */
  private List<String> primarySawBeforeSentinel() {
    String answer = harness.raw("GET /sentinel HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
    List<String> uris = backend.requests().stream().map(Recorded::uri).toList();
    assertEquals("/sentinel", uris.get(uris.size() - 1), uris.toString());
    return uris.subList(0, uris.size() - 1);
  }

  private void assertRejected(String answer, int status, String reason) {
    assertTrue(answer.startsWith("HTTP/1.1 " + status + " "), answer);
    assertTrue(answer.toLowerCase().contains("\r\nconnection: close\r\n"), answer);
    assertEquals(List.of(), primarySawBeforeSentinel(), "nothing reaches the primary");
    assertEquals(1, harness.rejected(reason), "counted as " + reason);
  }

  @Test
  void contentLengthWithTransferEncodingIsRejectedAndTheConnectionClosed() {
    start();
    String answer = harness.raw("POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n"
        + "\r\n0\r\n\r\n" + SMUGGLED);
    assertRejected(answer, 400, "content_length_and_transfer_encoding");
    assertEquals(1, harness.errors(ProxyError.MALFORMED));
  }

  @ParameterizedTest
  @ValueSource(strings = {"xchunked", "chunked, identity", "identity", "gzip, chunked", "Chunked", "CHUNKED",
      "chunked,", "chunked\tx", ""})
  void transferEncodingOtherThanExactlyChunkedIsRejected(String value) {
    start();
    String answer = harness.raw("POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: " + value + "\r\n\r\n"
        + "5\r\nhello\r\n0\r\n\r\n" + SMUGGLED);
    boolean unknownCoding = value.equals("xchunked") || value.equals("identity");
    assertRejected(answer, unknownCoding ? 501 : 400, unknownCoding ? "unsupported_transfer_encoding"
        : "bad_transfer_encoding");
  }

  @Test
  void twoTransferEncodingHeadersAreRejected() {
    start();
    String answer = harness.raw("POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n" + SMUGGLED);
    assertRejected(answer, 400, "bad_transfer_encoding");
  }

  @Test
  void transferEncodingInHttp10IsRejected() {
    start();
    String answer = harness.raw("POST /a HTTP/1.0\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "5\r\nhello\r\n0\r\n\r\n" + SMUGGLED);
    assertTrue(answer.matches("(?s)HTTP/1\\.[01] 400 .*"), answer);
    assertEquals(List.of(), primarySawBeforeSentinel());
  }

  @ParameterizedTest
  @ValueSource(strings = {"Transfer-Encoding : chunked", "Transfer-Encoding\t: chunked",
      "Transfer-Encoding:\u000bchunked", "Transfer-Encoding:\r\n chunked"})
  void malformedTransferEncodingFieldsAreRejected(String field) {
    start();
    String answer = harness.raw("POST /a HTTP/1.1\r\nHost: a\r\n" + field + "\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
        + SMUGGLED);
    assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
    assertEquals(List.of(), primarySawBeforeSentinel());
  }

  @ParameterizedTest
  @ValueSource(strings = {"10000000000000005", "100000005", "80000000"})
  void chunkSizeOverflowingIsRejected(String size) {
    start();
    String answer = harness.raw("POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        + size + "\r\nhello\r\n0\r\n\r\n" + SMUGGLED);
    assertRejected(answer, 400, "bad_chunk");
  }

  @ParameterizedTest
  @ValueSource(strings = {"5\nhello\r\n0\r\n\r\n", "zz\r\nhello\r\n0\r\n\r\n", "-5\r\nhello\r\n0\r\n\r\n",
      "5\r\nhello0\r\n\r\n", "5\r\nhello\n0\r\n\r\n", " 5\r\nhello\r\n0\r\n\r\n", "5 \r\nhello\r\n0\r\n\r\n",
      "5\rhello\r\n0\r\n\r\n", "5;\r\nhello\r\n0\r\n\r\n", "5;a=\"x\r\nhello\r\n0\r\n\r\n",
      "5\r\nhello\r\n0\r\n\n", "5\r\nhello\r\n0\r\nX: a\n\r\n"})
  void invalidChunkLinesAreAnswered400(String body) {
    start();
    String answer = harness.raw("POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + body
        + SMUGGLED);
    assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
    assertTrue(answer.toLowerCase().contains("\r\nconnection: close\r\n"), answer);
    assertEquals(List.of(), primarySawBeforeSentinel(), "a truncated body must not reach the primary as complete");
    await().atMost(Duration.ofSeconds(10)).until(() -> harness.active() == 0);
    assertEquals(1, harness.rejected("bad_chunk"));
  }

  @Test
  void chunkExtensionsAreAcceptedAndDropped() {
    start();
    String answer = harness.raw("POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n"
        + "\r\n5;foo=bar\r\nhello\r\n6 ; q=\"a;b\\\"c\" ; flag\r\n world\r\n0;last\r\nX-Trailer: t\r\n\r\n");
    assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
    assertEquals("hello world", backend.single().body().toString());
    assertEquals(0, harness.rejected("bad_chunk"));
  }

  @Test
  void oversizedChunkExtensionsAreRejected() {
    start();
    String answer = harness.raw("POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "5;x=" + "a".repeat(5_000) + "\r\nhello\r\n0\r\n\r\n" + SMUGGLED);
    assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
    assertEquals(List.of(), primarySawBeforeSentinel());
  }

  @Test
  void pipelinedRequestsAfterAValidChunkedBodyAreStillServed() {
    start();
    String answer = harness.raw("POST /one HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "5\r\nhello\r\n0\r\n\r\nGET /two HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    assertEquals(2, answer.split("HTTP/1.1 200").length - 1, answer);
    assertEquals(List.of("/one", "/two"), backend.requests().stream().map(Recorded::uri).toList());
  }

  @Test
  void http11WithoutHostIsRejected() {
    start();
    assertRejected(harness.raw("GET /a HTTP/1.1\r\n\r\n"), 400, "missing_host");
  }

  @Test
  void twoHostHeadersAreRejected() {
    start();
    assertRejected(harness.raw("GET /a HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), 400, "duplicate_host");
  }

  @Test
  void http10WithoutHostIsServed() {
    start();
    assertTrue(harness.raw("GET /old HTTP/1.0\r\n\r\n").matches("(?s)HTTP/1\\.[01] 200 .*"));
  }

  @Test
  void connectIsNotAllowed() {
    start();
    assertRejected(harness.raw("CONNECT internal.example:443 HTTP/1.1\r\nHost: internal.example:443\r\n\r\n"),
        405, "connect");
  }

  @Test
  void absoluteFormTargetsUseTheirAuthorityAsHost() {
    start();
    String answer = harness.raw("GET http://svc.example:8080/p?x=1 HTTP/1.1\r\nHost: other.example\r\n"
        + "Connection: close\r\n\r\n");
    assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
    Recorded seen = backend.single();
    assertEquals("/p?x=1", seen.uri());
    assertEquals(List.of("svc.example:8080"), seen.headers().getAll("Host"));
    assertEquals("svc.example:8080", seen.headers().get("X-Forwarded-Host"));
  }

  @Test
  void absoluteFormTargetsWithOtherSchemesAreRejected() {
    start();
    assertRejected(harness.raw("GET ftp://svc.example/p HTTP/1.1\r\nHost: svc.example\r\n\r\n"), 400,
        "bad_target");
  }

  @ParameterizedTest
  @ValueSource(strings = {"keep-alive, Content-Length", "Host", "close, transfer-encoding"})
  void connectionNamingAFramingHeaderIsRejectedWithoutAnErrorLog(String connection) {
    start();
    String answer = harness.raw("POST /a HTTP/1.1\r\nHost: a\r\nConnection: " + connection + "\r\n"
        + "Content-Length: 5\r\n\r\nhello");
    assertRejected(answer, 400, "connection_names_framing_header");
    assertEquals(0, harness.errors(ProxyError.INTERNAL));
  }

  @Test
  void h2cUpgradeIsIgnoredByDefault() {
    start();
    String answer = harness.raw("POST /up HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\n"
        + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\nContent-Length: 5\r\n\r\nhello"
        + "GET /next HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
    assertFalse(answer.contains(" 101 "), answer);
    Recorded seen = backend.requests().get(0);
    assertEquals("hello", seen.body().toString());
    assertEquals(null, seen.headers().get("Upgrade"));
    assertEquals(null, seen.headers().get("HTTP2-Settings"));
  }

  @Test
  void h2cUpgradeWhenEnabledServesTheUpgradedRequestAndItsBody() {
    start(true);
    io.vertx.core.http.HttpClient upgrading = harness.vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions()
        .setDefaultHost("127.0.0.1").setDefaultPort(harness.port())
        .setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(true));
    for (String body : List.of("hello", "")) {
      io.vertx.core.http.HttpClientResponse[] response = new io.vertx.core.http.HttpClientResponse[1];
      String echoed = ProxyHarness.await(upgrading.request(io.vertx.core.http.HttpMethod.POST, "/up")
          .compose(req -> req.send(body).compose(resp -> {
            response[0] = resp;
            return resp.body();
          }))).toString();
      assertEquals(200, response[0].statusCode());
      assertEquals(io.vertx.core.http.HttpVersion.HTTP_2, response[0].version());
      assertEquals(body, echoed);
    }
    assertEquals(0, harness.errors(ProxyError.INTERNAL));
  }

  @Test
  void priorKnowledgeH2cIsAccepted() {
    start();
    io.vertx.core.http.HttpClientResponse[] response = new io.vertx.core.http.HttpClientResponse[1];
    String echoed = ProxyHarness.await(harness.h2cClient().request(io.vertx.core.http.HttpMethod.POST, "/p")
        .compose(req -> req.send("data").compose(resp -> {
          response[0] = resp;
          return resp.body();
        }))).toString();
    assertEquals(io.vertx.core.http.HttpVersion.HTTP_2, response[0].version());
    assertEquals("data", echoed);
  }

  @Test
  void rawUtf8InThePathIsForwardedByteExact() {
    start();
    String answer = harness.raw("GET /\u00c3\u00a4?q=\u00e2\u009c\u0093 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
    // the backend decodes the request line as ISO-8859-1, so each char is one byte on the wire
    assertEquals("/\u00c3\u00a4?q=\u00e2\u009c\u0093", backend.single().uri());
  }

  @Test
  void invalidUtf8InThePathIsRejected() {
    start();
    assertRejected(harness.raw("GET /\u00ff\u00fe HTTP/1.1\r\nHost: a\r\n\r\n"), 400, "bad_target");
  }

  @Test
  void keepsTheConnectionForAValidRequest() {
    start();
    String answer = harness.raw("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    assertEquals(2, answer.split("HTTP/1.1 200").length - 1, answer);
    assertFalse(answer.toLowerCase().contains("connection: close\r\n\r\nhttp"), answer);
  }
}
