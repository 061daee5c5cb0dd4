package io.shadowcar.proxy;

import static io.shadowcar.proxy.ProxyHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.shadowcar.testkit.LeakDetectionExtension;
import io.shadowcar.testkit.LogCapture;
import io.shadowcar.testkit.backend.RecordingBackend;
import io.shadowcar.testkit.backend.RecordingBackend.Recorded;
import io.shadowcar.testkit.backend.RecordingBackend.Responder;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(LeakDetectionExtension.class)
class ForwardingTest {

  private final ProxyHarness harness = new ProxyHarness();

  @AfterEach
  void close() {
    harness.close();
  }

  private RecordingBackend backend(Responder responder) {
    RecordingBackend backend = RecordingBackend.start(harness.vertx, responder);
    harness.start(List.of(backend.uri()));
    return backend;
  }

  private Buffer call(HttpClient client, RequestOptions options, Buffer body, HttpClientResponse[] response) {
    return await(client.request(options).compose(req -> (body == null ? req.send() : req.send(body))
        .compose(resp -> {
          response[0] = resp;
          return resp.body();
        })));
  }

  @ParameterizedTest
  @ValueSource(strings = {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "PURGE"})
  void forwardsEveryMethodWithItsBody(String method) {
    RecordingBackend backend = backend((req, resp) -> resp.end(req.method().name() + ":" + req.body()));
    HttpClientResponse[] response = new HttpClientResponse[1];
    Buffer body = call(harness.client, new RequestOptions().setMethod(HttpMethod.valueOf(method)).setURI("/m"),
        Buffer.buffer("payload"), response);
    assertEquals(200, response[0].statusCode());
    assertEquals(method + ":payload", body.toString());
    assertEquals(method, backend.single().method().name());
  }

  /**
   * Bodies of both framings, large enough to take many reads, arrive byte for byte; they go from the primary's
   * connection to the caller's without Vert.x's client (no warning that this Vert.x's pipeline is not the expected
   * one), and the leak detector (paranoid here) sees every pooled buffer released once written.
   */
  @ParameterizedTest
  @ValueSource(strings = {"length", "chunked"})
  void relaysLargeResponseBodiesByteExactStraightFromThePrimarysConnection(String framing) {
    byte[] bytes = new byte[300_000];
    new Random(7).nextBytes(bytes);
    Buffer payload = Buffer.buffer(bytes);
    backend((req, resp) -> {
      if (framing.equals("chunked")) {
        resp.setChunked(true).write(payload.slice(0, 100_000));
        resp.end(payload.slice(100_000, bytes.length));
      } else {
        resp.end(payload);
      }
    });
    DirectResponseBody.UNAVAILABLE_LOGGED.set(false);
    try (LogCapture warnings = LogCapture.of(DirectResponseBody.class, Level.WARN)) {
      for (int call = 0; call < 3; call++) { // a new connection, then reused ones
        HttpClientResponse[] response = new HttpClientResponse[1];
        Buffer body = call(harness.client, new RequestOptions().setURI("/big"), null, response);
        assertEquals(200, response[0].statusCode());
        assertEquals(framing.equals("chunked"), response[0].headers().contains("transfer-encoding"));
        assertEquals(payload, body);
      }
      assertEquals(List.of(), warnings.messages());
    }
  }

  @Test
  void keepsEncodedPathAndQueryByteExact() {
    RecordingBackend backend = backend(Responder.ok());
    String target = "/a%2Fb/%7Euser/caf%C3%A9;v=1/x%20y+z?q=a%20b&x=%2F&x=2&empty=&plus=a+b&%E2%9C%93=%3D";
    String answer = harness.raw("GET " + target + " HTTP/1.1\r\nHost: svc\r\nConnection: close\r\n\r\n");
    assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
    assertEquals(target, backend.single().uri());
  }

  @Test
  void keepsRepeatedResponseHeadersInOrder() {
    backend((req, resp) -> {
      resp.headers().add("Set-Cookie", "a=1; Path=/").add("Set-Cookie", "b=2; HttpOnly").add("Set-Cookie", "c=3");
      resp.end();
    });
    HttpClientResponse[] response = new HttpClientResponse[1];
    call(harness.client, new RequestOptions().setURI("/"), null, response);
    assertEquals(List.of("a=1; Path=/", "b=2; HttpOnly", "c=3"), response[0].headers().getAll("set-cookie"));
  }

  @Test
  void keepsRepeatedRequestHeaders() {
    RecordingBackend backend = backend(Responder.ok());
    String answer = harness.raw("GET / HTTP/1.1\r\nHost: svc\r\nAccept: a\r\nAccept: b\r\nCookie: x=1\r\n"
        + "Connection: close\r\n\r\n");
    assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
    assertEquals(List.of("a", "b"), backend.single().headers().getAll("accept"));
  }

  @Test
  void dropsHopByHopHeadersBothWays() {
    RecordingBackend backend = backend((req, resp) -> resp
        .putHeader("Connection", List.<String>of("keep-alive", "X-Resp-Hop")) // the header named in the second field
        .putHeader("X-Resp-Hop", "1")
        .putHeader("Keep-Alive", "timeout=5")
        .putHeader("Proxy-Authenticate", "Basic")
        .putHeader("Trailer", "X-Checksum")
        .putHeader("X-End-To-End", "kept")
        .end("body"));
    String answer = harness.raw("GET / HTTP/1.1\r\nHost: svc\r\n"
        + "Connection: close\r\nConnection: X-Named-Hop, keep-alive\r\nX-Named-Hop: secret\r\nKeep-Alive: timeout=5\r\nTE: gzip;q=1, trailers\r\n"
        + "Trailer: X-Checksum\r\nUpgrade: foo/1\r\nProxy-Authorization: Basic eA==\r\nProxy-Connection: keep-alive\r\n"
        + "X-End-To-End: kept\r\n\r\n");
    var headers = backend.single().headers();
    for (String hop : List.of("X-Named-Hop", "Keep-Alive", "Upgrade", "Proxy-Authorization", "Proxy-Connection")) {
      assertNull(headers.get(hop), hop + " reached the primary");
    }
    assertEquals("kept", headers.get("X-End-To-End"));
    // trailers are forwarded, so the announcement and the caller's TE: trailers go on
    assertEquals("X-Checksum", headers.get("Trailer"));
    assertEquals(List.of("trailers"), headers.getAll("TE"));
    String head = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase();
    assertTrue(head.startsWith("http/1.1 200"), answer);
    assertFalse(head.contains("x-resp-hop"), answer);
    assertFalse(head.contains("keep-alive: timeout"), answer);
    assertFalse(head.contains("proxy-authenticate"), answer);
    assertTrue(head.contains("\r\ntrailer: x-checksum"), answer);
    assertTrue(head.contains("x-end-to-end: kept"), answer);
  }

  @Test
  void dropsTransferEncodingAndReframesChunkedBodies() {
    RecordingBackend backend = backend(Responder.echo());
    String answer = harness.raw("POST /c HTTP/1.1\r\nHost: svc\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n"
        + "\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
    assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
    assertTrue(answer.endsWith("hello world") || answer.contains("hello world"), answer);
    assertEquals("hello world", backend.single().body().toString());
  }

  @Test
  void fromATrustedProxyAppendsToItsForwardedForAndKeepsItsProtoAndHost() {
    RecordingBackend backend = RecordingBackend.start(harness.vertx, Responder.ok());
    harness.start(new ForwardingPolicy(TrustedProxies.of(List.of("127.0.0.0/8")), Set.of()), List.of(backend.uri()));
    harness.raw("GET / HTTP/1.1\r\nHost: shop.example:8080\r\nX-Forwarded-For: 203.0.113.7\r\n"
        + "Forwarded: for=203.0.113.7\r\nConnection: close\r\n\r\n");
    harness.raw("GET / HTTP/1.1\r\nHost: api.example\r\nX-Forwarded-Proto: https\r\n"
        + "X-Forwarded-Host: www.example\r\nConnection: close\r\n\r\n");
    Recorded appended = backend.requests().get(0);
    assertEquals("203.0.113.7, 127.0.0.1", appended.headers().get("X-Forwarded-For"));
    assertEquals("http", appended.headers().get("X-Forwarded-Proto"));
    assertEquals("shop.example:8080", appended.headers().get("X-Forwarded-Host"));
    assertEquals("for=203.0.113.7", appended.headers().get("Forwarded"), "a trusted proxy's Forwarded is kept");
    assertEquals("shop.example:8080", appended.headers().get("Host"), "the caller's Host is kept");
    Recorded fresh = backend.requests().get(1);
    assertEquals("127.0.0.1", fresh.headers().get("X-Forwarded-For"));
    assertEquals("https", fresh.headers().get("X-Forwarded-Proto"), "a trusted proxy's proto is kept");
    assertEquals("www.example", fresh.headers().get("X-Forwarded-Host"), "a trusted proxy's host is kept");
    assertEquals(List.of("api.example"), fresh.headers().getAll("Host"));
  }

  @Test
  void fromAnyoneElseReplacesEveryForwardingHeaderWithWhatTheProxySees() {
    RecordingBackend backend = backend(Responder.ok());
    harness.raw("GET / HTTP/1.1\r\nHost: shop.example:8080\r\nX-Forwarded-For: 10.0.0.1\r\n"
        + "X-Forwarded-Proto: https\r\nX-Forwarded-Host: admin.internal\r\nX-Forwarded-Port: 443\r\n"
        + "X-Real-IP: 10.0.0.1\r\nForwarded: for=10.0.0.1;proto=https\r\nConnection: close\r\n\r\n");
    Recorded seen = backend.single();
    assertEquals(List.of("127.0.0.1"), seen.headers().getAll("X-Forwarded-For"));
    assertEquals(List.of("http"), seen.headers().getAll("X-Forwarded-Proto"));
    assertEquals(List.of("shop.example:8080"), seen.headers().getAll("X-Forwarded-Host"));
    assertEquals(List.of("for=127.0.0.1;proto=http;host=\"shop.example:8080\""), seen.headers().getAll("Forwarded"));
    assertNull(seen.headers().get("X-Forwarded-Port"));
    assertNull(seen.headers().get("X-Real-IP"));
  }

  @Test
  void neverForwardsHeadersThePolicyReservesForCopiesAndFollowsItsUpdates() {
    RecordingBackend backend = RecordingBackend.start(harness.vertx, Responder.ok());
    harness.start(new ForwardingPolicy(TrustedProxies.none(), Set.of("X-Shadow-Request")), List.of(backend.uri()));
    harness.raw("GET / HTTP/1.1\r\nHost: a\r\nx-shadow-request: true\r\nX-Copy: true\r\nConnection: close\r\n\r\n");
    harness.proxy.updateForwarding(new ForwardingPolicy(TrustedProxies.none(), Set.of("X-Copy")));
    harness.raw("GET / HTTP/1.1\r\nHost: a\r\nX-Shadow-Request: true\r\nX-Copy: true\r\nConnection: close\r\n\r\n");
    assertNull(backend.requests().get(0).headers().get("X-Shadow-Request"), "a caller cannot pose as a copy");
    assertEquals("true", backend.requests().get(0).headers().get("X-Copy"));
    assertNull(backend.requests().get(1).headers().get("X-Copy"));
    assertEquals("true", backend.requests().get(1).headers().get("X-Shadow-Request"));
  }

  @Test
  void keepsTheCallersRequestIdOrGeneratesOne() {
    RecordingBackend backend = backend(Responder.ok());
    harness.raw("GET / HTTP/1.1\r\nHost: a\r\nX-Request-Id: caller-42\r\nConnection: close\r\n\r\n");
    harness.raw("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    harness.raw("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    assertEquals("caller-42", backend.requests().get(0).headers().get("X-Request-Id"));
    String first = backend.requests().get(1).headers().get("X-Request-Id");
    String second = backend.requests().get(2).headers().get("X-Request-Id");
    assertNotNull(first);
    assertTrue(first.matches("[0-9a-f]{32}"), first);
    assertFalse(first.equals(second), "ids are unique");
  }

  @ParameterizedTest
  @ValueSource(strings = {"has space", "<script>", "semi;colon", "quote\"d", "\u00e4"})
  void replacesACallersRequestIdThatIsNotSafe(String id) {
    RecordingBackend backend = backend(Responder.ok());
    String answer = harness.raw("GET / HTTP/1.1\r\nHost: a\r\nX-Request-Id: " + id + "\r\nConnection: close\r\n\r\n");
    String forwarded = backend.single().headers().get("X-Request-Id");
    assertTrue(forwarded.matches("[0-9a-f]{32}"), forwarded);
    assertEquals(List.of(forwarded), backend.single().headers().getAll("X-Request-Id"));
    assertTrue(answer.contains("\r\nx-request-id: " + forwarded + "\r\n"), answer);
    assertEquals(1.0, harness.registry.get(ProxyMetrics.REQUEST_ID_REPLACED).counter().count());
  }

  @Test
  void keepsARequestIdOf128SafeCharactersAndReplacesALongerOneAndDropsRepeats() {
    RecordingBackend backend = backend(Responder.ok());
    String longest = "a.b_c:d-".repeat(16);
    harness.raw("GET / HTTP/1.1\r\nHost: a\r\nX-Request-Id: " + longest + "\r\nX-Request-Id: other\r\n"
        + "Connection: close\r\n\r\n");
    harness.raw("GET / HTTP/1.1\r\nHost: a\r\nX-Request-Id: " + longest + "x\r\nConnection: close\r\n\r\n");
    assertEquals(List.of(longest), backend.requests().get(0).headers().getAll("X-Request-Id"));
    assertTrue(backend.requests().get(1).headers().get("X-Request-Id").matches("[0-9a-f]{32}"));
  }

  @Test
  void returnsTheRequestIdToTheCallerEvenWhenThePrimarySentItsOwn() {
    backend((req, resp) -> resp.putHeader("X-Request-Id", "primary-made").end("ok"));
    String kept = harness.raw("GET / HTTP/1.1\r\nHost: a\r\nX-Request-Id: caller-7\r\nConnection: close\r\n\r\n");
    String generated = harness.raw("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    assertTrue(kept.startsWith("HTTP/1.1 200") && kept.contains("\r\nx-request-id: caller-7\r\n"), kept);
    assertFalse(kept.contains("primary-made"), kept);
    assertTrue(generated.matches("(?s).*\r\nx-request-id: [0-9a-f]{32}\r\n.*"), generated);
  }

  @Test
  void headResponseKeepsContentLengthAndHasNoBody() {
    backend((req, resp) -> resp.putHeader("Content-Length", "1234").end());
    String answer = harness.raw("HEAD /file HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
    assertTrue(answer.toLowerCase().contains("content-length: 1234\r\n"), answer);
    assertTrue(answer.endsWith("\r\n\r\n"), "no body after a HEAD response: " + answer);
  }

  @ParameterizedTest
  @ValueSource(ints = {204, 304})
  void bodilessStatusesAreRelayedWithoutBodyOrChunking(int status) {
    backend((req, resp) -> resp.setStatusCode(status).putHeader("ETag", "\"v1\"").end());
    String answer = harness.raw("GET /r HTTP/1.1\r\nHost: a\r\nIf-None-Match: \"v1\"\r\nConnection: close\r\n\r\n");
    assertTrue(answer.startsWith("HTTP/1.1 " + status), answer);
    assertTrue(answer.endsWith("\r\n\r\n"), answer);
    assertFalse(answer.toLowerCase().contains("transfer-encoding"), answer);
    assertTrue(answer.contains("\"v1\""), answer);
  }

  @Test
  void acceptsH2cCallersAndForwardsOverHttp11() {
    RecordingBackend backend = backend((req, resp) -> {
      resp.headers().add("Set-Cookie", "a=1").add("Set-Cookie", "b=2");
      resp.end("h2:" + req.body());
    });
    HttpClientResponse[] response = new HttpClientResponse[1];
    Buffer body = call(harness.h2cClient(), new RequestOptions().setMethod(HttpMethod.POST).setURI("/p?x=%2F"),
        Buffer.buffer("data"), response);
    assertEquals(HttpVersion.HTTP_2, response[0].version());
    assertEquals("h2:data", body.toString());
    assertEquals(List.of("a=1", "b=2"), response[0].headers().getAll("set-cookie"));
    Recorded seen = backend.single();
    assertEquals(HttpVersion.HTTP_1_1, seen.version());
    assertEquals("/p?x=%2F", seen.uri());
    assertNotNull(seen.headers().get("Host"));
    assertEquals(seen.headers().get("Host"), seen.headers().get("X-Forwarded-Host"));
  }

  @Test
  void http10CallerGetsAStreamedResponseOfUnknownLength() {
    backend((req, resp) -> {
      resp.setChunked(true).write("part one, ");
      resp.end("part two");
    });
    String answer = harness.raw("GET /old HTTP/1.0\r\nHost: a\r\n\r\n");
    assertTrue(answer.startsWith("HTTP/1.0 200") || answer.startsWith("HTTP/1.1 200"), answer);
    assertTrue(answer.endsWith("part one, part two"), answer);
    assertFalse(answer.toLowerCase().contains("transfer-encoding"), answer);
  }

  /** A primary that ends its body by closing (no length, not chunked) gives the caller the whole body, chunked. */
  @Test
  void aBodyThePrimaryEndsByClosingReachesTheCallerWhole() {
    io.vertx.core.net.NetServer raw = await(harness.vertx.createNetServer()
        .connectHandler(socket -> socket.handler(bytes -> socket.write(
            "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end").onComplete(written -> socket.close())))
        .listen(0, "127.0.0.1"));
    harness.start(List.of(java.net.URI.create("http://127.0.0.1:" + raw.actualPort())));
    for (int i = 0; i < 2; i++) { // the second on a new connection: the first one closed with its answer
      String answer = harness.raw("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
      assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
      assertTrue(answer.toLowerCase().contains("transfer-encoding: chunked"), answer);
      assertTrue(answer.endsWith("d\r\nuntil the end\r\n0\r\n\r\n"), answer);
    }
    assertEquals(0, harness.errors(ProxyError.UPSTREAM_RESET));
  }

  /** A request without {@code Host} (HTTP/1.0) reaches the primary with the primary's own authority, as nginx sends. */
  @Test
  void aRequestWithoutHostGetsThePrimarysAuthority() {
    RecordingBackend backend = backend((req, resp) -> resp.end("ok"));
    String answer = harness.raw("GET /no-host HTTP/1.0\r\n\r\n");
    assertTrue(answer.startsWith("HTTP/1.0 200") || answer.startsWith("HTTP/1.1 200"), answer);
    Recorded seen = backend.single();
    assertEquals("/no-host", seen.uri());
    assertEquals(backend.uri().getAuthority(), seen.headers().get("Host"));
  }

  /**
   * A body reaches the caller as it comes, not once it is complete: the primary sends its second half only when the
   * caller has the first, so a proxy that held the body for its end would never answer. A chunked one too, though the
   * chunks of one read of the primary are held back to go out together. The caller reads the wire itself: Vert.x's
   * client, given the head and the first half in one read, now and then drops the half before the test's handler is set
   * (seen without the proxy in between too).
   */
  @ParameterizedTest
  @ValueSource(strings = {"length", "chunked"})
  void aBodyReachesTheCallerAsItComes(String framing) {
    boolean chunked = framing.equals("chunked");
    Promise<Void> callerHasFirstHalf = Promise.promise();
    backend((req, resp) -> {
      if (chunked) {
        resp.setChunked(true);
      } else {
        resp.putHeader("Content-Length", "20");
      }
      resp.write("first half");
      callerHasFirstHalf.future().onComplete(ignored -> resp.end("and a half"));
    });
    try (RawCaller caller = new RawCaller(harness.port())) {
      caller.send("GET /halves HTTP/1.1\r\nHost: a\r\n\r\n");
      String head = caller.readHead().toLowerCase(Locale.ROOT);
      assertTrue(head.startsWith("http/1.1 200"), head);
      assertEquals(!chunked, head.contains("\r\ncontent-length: 20\r\n"), head);
      assertEquals(chunked, head.contains("\r\ntransfer-encoding: chunked\r\n"), head);
      assertEquals("first half", chunked ? caller.readChunks(10) : caller.readBytes(10));
      callerHasFirstHalf.complete();
      assertEquals("and a half", chunked ? caller.readChunks(Integer.MAX_VALUE) : caller.readBytes(10));
    }
  }

  /**
   * A chunked answer whose chunks and end the primary sent in one piece reaches the caller whole and in order, as one
   * chunked body (the chunks of one read go out together), on a connection that serves the next request too.
   */
  @Test
  void aChunkedAnswerReadInOnePieceReachesTheCallerWhole() {
    io.vertx.core.net.NetServer raw = await(harness.vertx.createNetServer()
        .connectHandler(socket -> socket.handler(bytes -> socket.write("HTTP/1.1 200 OK\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n5\r\nfirst\r\n1\r\n,\r\n6\r\nsecond\r\n0\r\n\r\n")))
        .listen(0, "127.0.0.1"));
    harness.start(List.of(java.net.URI.create("http://127.0.0.1:" + raw.actualPort())));
    try (RawCaller caller = new RawCaller(harness.port())) {
      for (int i = 0; i < 2; i++) {
        caller.send("GET /pieces HTTP/1.1\r\nHost: a\r\n\r\n");
        RawCaller.ChunkedResponse answer = caller.readChunkedResponse();
        assertTrue(answer.head().startsWith("HTTP/1.1 200"), answer.head());
        assertEquals("first,second", answer.data());
        assertEquals("", answer.trailers(), "no trailers, then the end");
      }
    }
    assertEquals(0, harness.errors(ProxyError.UPSTREAM_RESET));
  }

  @Test
  void reusesKeepAliveConnectionsToThePrimary() {
    java.util.Set<Object> connections = java.util.concurrent.ConcurrentHashMap.newKeySet();
    io.vertx.core.http.HttpServer server = await(harness.vertx.createHttpServer(
            new io.vertx.core.http.HttpServerOptions().setHost("127.0.0.1"))
        .requestHandler(req -> {
          connections.add(req.connection());
          req.response().end("ok");
        })
        .listen(0, "127.0.0.1"));
    harness.start(List.of(java.net.URI.create("http://127.0.0.1:" + server.actualPort())));
    for (int i = 0; i < 20; i++) {
      HttpClientResponse[] response = new HttpClientResponse[1];
      call(harness.client, new RequestOptions().setURI("/k" + i), null, response);
      assertEquals(200, response[0].statusCode());
    }
    assertTrue(connections.size() <= 2, "20 sequential requests opened " + connections.size() + " connections");
  }

  /**
   * A primary that sends {@code 103 Early Hints} before its answer: the caller gets the final response whole (the
   * hints are the primary's to the proxy's connection, not forwarded), and the connection stays in step for the next
   * requests on it, each paired with its own answer.
   */
  @Test
  void skipsEarlyHintsFromThePrimaryAndKeepsItsConnectionInStep() {
    Set<Object> connections = java.util.concurrent.ConcurrentHashMap.newKeySet();
    io.vertx.core.http.HttpServer server = await(harness.vertx.createHttpServer(
            new io.vertx.core.http.HttpServerOptions().setHost("127.0.0.1"))
        .requestHandler(req -> {
          connections.add(req.connection());
          io.vertx.core.MultiMap hints = io.vertx.core.MultiMap.caseInsensitiveMultiMap()
              .add("Link", "</style.css>; rel=preload; as=style");
          req.response().writeEarlyHints(hints)
              .onComplete(sent -> req.response().putHeader("X-Answer", req.path()).end("answer to " + req.path()));
        })
        .listen(0, "127.0.0.1"));
    harness.start(List.of(java.net.URI.create("http://127.0.0.1:" + server.actualPort())));
    for (int i = 0; i < 5; i++) {
      HttpClientResponse[] response = new HttpClientResponse[1];
      Buffer body = call(harness.client, new RequestOptions().setURI("/hinted/" + i), null, response);
      assertEquals(200, response[0].statusCode());
      assertEquals("/hinted/" + i, response[0].getHeader("X-Answer"));
      assertNull(response[0].getHeader("Link"), "the hints' fields are not the final response's");
      assertEquals("answer to /hinted/" + i, body.toString());
    }
    assertTrue(connections.size() <= 2, "5 sequential requests opened " + connections.size() + " connections");
  }

  @Test
  void forwardsAbsoluteFormTargetsInOriginForm() {
    RecordingBackend backend = backend(Responder.ok());
    harness.raw("GET http://svc.example:8080/p%2Fq?x=%20 HTTP/1.1\r\nHost: svc.example:8080\r\nConnection: close\r\n\r\n");
    assertEquals("/p%2Fq?x=%20", backend.single().uri());
  }
}
