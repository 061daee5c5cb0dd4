package io.shadowcar.sink;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shadowcar.proxy.ProxyConfig;
import io.shadowcar.proxy.ProxyServer;
import io.shadowcar.common.target.TargetUrl;
import io.shadowcar.proxy.upstream.TargetSource;
import io.shadowcar.sink.http.HttpShadowSink;
import io.shadowcar.sink.http.HttpShadowSinkConfig;
import io.shadowcar.sink.observe.CompletedExchange;
import io.shadowcar.tee.DropReason;
import io.shadowcar.tee.RouteRule;
import io.shadowcar.tee.TeeConfig;
import io.shadowcar.tee.TeeMetrics;
import io.shadowcar.tee.TeeRouter;
import io.shadowcar.testkit.SidecarTransport;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetServer;
import java.net.URI;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import io.shadowcar.testkit.LeakDetectionExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole tee, through the real proxy: every primary response is correct and complete whatever the shadow does,
 * and the proof that the primary never waits on the shadow uses ordering, not timing: the held shadow answers only
 * after the test has every primary response in hand.
 */
@ExtendWith(LeakDetectionExtension.class)
class PrimaryNeverWaitsOnShadowIT {

  private static final int REQUESTS = 20;
  private static final Duration HANG_GUARD = Duration.ofSeconds(30);

  private final Vertx vertx = SidecarTransport.vertx();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<CompletedExchange> exchanges = new CopyOnWriteArrayList<>();
  private final Map<String, String> primaryRequestIds = new ConcurrentHashMap<>();
  private HttpVersion protocol = HttpVersion.HTTP_1_1;
  private boolean chunkedUploads;
  private HttpServer primary;
  private HttpClient caller;
  private ProxyServer proxy;
  private HttpShadowSink sink;
  private TeeRouter router;

  @BeforeEach
  void startPrimary() throws Exception {
    // The primary answers with a digest of what it received plus a 64 KiB payload, so a cut or altered response shows.
    primary = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      primaryRequestIds.put(request.uri(), String.valueOf(request.getHeader("X-Request-Id")));
      request.response().headers().add("Set-Cookie", "a=1").add("Set-Cookie", "b=2");
      request.response()
          .putHeader("X-Digest", digest(body))
          .end(expectedBody(request.method(), request.uri()));
    }));
    join(primary.listen(0, "127.0.0.1"));
  }

  @AfterEach
  void stop() throws Exception {
    TestSinks.stopAll(proxy, sink, vertx);
  }

  private void startTee(URI shadow, HttpShadowSinkConfig sinkConfig) throws Exception {
    startTee(shadow, List.of(), sinkConfig);
  }

  private void startTee(URI shadow, List<URI> secondary, HttpShadowSinkConfig sinkConfig) throws Exception {
    // h2c with prior knowledge when asked, so the tap sees HTTP/2 streams as well as HTTP/1.1 requests.
    caller = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(protocol)
        .setHttp2ClearTextUpgrade(false));
    SinkContext context = TestSinks.context(vertx, registry, exchanges::add);
    sink = new HttpShadowSink(sinkConfig, TargetSource.parse(shadow.toString()), TargetSource.of(secondary.stream().map(TargetUrl::of).toList()), context);
    RouteRule uploads = new RouteRule("uploads", "/upload/**", Set.of(HttpMethod.POST), null, Set.of());
    TeeConfig tee = TeeConfig.defaults().withSinks(Set.of("http")).withRoutes(List.of(uploads, RouteRule.of("rest", "/**")));
    router = new TeeRouter(tee, new ShadowSinks(List.of(sink), context.observers(), new TeeMetrics(registry)),
        registry);
    proxy = join(ProxyServer.start(vertx, ProxyConfig.defaults().withListen("127.0.0.1", 0),
        TargetSource.parse("http://127.0.0.1:" + primary.actualPort()), router, registry));
  }

  @ParameterizedTest(name = "{0}, chunked upload: {1}")
  @CsvSource({"HTTP_1_1, false", "HTTP_1_1, true", "HTTP_2, false", "HTTP_2, true"})
  void primaryAnswersCompletelyWhileTheShadowHoldsEveryCopy(HttpVersion version, boolean chunked) throws Exception {
    protocol = version;
    chunkedUploads = chunked;
    try (RecordingShadow shadow = new RecordingShadow(vertx).mode(RecordingShadow.Mode.HOLD)) {
      startTee(shadow.uri(), HttpShadowSinkConfig.defaults().withLimits(1024, 0, 60_000));
      byte[] upload = randomBytes(300_000);

      sendAllAndCheck(upload);
      // Every copy reached the shadow and is held there, yet every primary response above is already complete.
      await().atMost(HANG_GUARD).until(() -> shadow.received().size() == REQUESTS + 1);
      assertEquals(REQUESTS + 1, sink.inflight());

      shadow.releaseHeld();
      await().atMost(HANG_GUARD).until(() -> exchanges.size() == REQUESTS + 1);
      await().atMost(HANG_GUARD).until(() -> sink.inflight() == 0 && router.bufferedBytes() == 0);
      assertEquals(REQUESTS + 1, copies(TeeMetrics.RESULT_SENT));

      RecordingShadow.Received copy = shadow.received().stream()
          .filter(r -> r.uri().startsWith("/upload/")).findFirst().orElseThrow();
      assertEquals(HttpMethod.POST, copy.method());
      assertEquals(Buffer.buffer(upload), copy.body());
      assertEquals("true", copy.headers().get("X-Shadow-Request"));
      assertEquals(primaryRequestIds.get(copy.uri()), copy.headers().get("X-Request-Id"));
      for (CompletedExchange exchange : exchanges) {
        assertTrue(exchange.primary().isPresent(), () -> "primary capture for " + exchange.request().uri());
        assertEquals(200, exchange.primary().get().statusCode());
        assertEquals(expectedBody(exchange.request().method(), exchange.request().uri()).slice(0, 64 << 10),
            exchange.primary().get().body(), "the primary's body, captured because a listener reads it");
        assertEquals("shadow-answer", exchange.candidate().orElseThrow().response().body().toString());
        assertEquals(exchange.request().requestId(), primaryRequestIds.get(exchange.request().uri()));
      }
    }
  }

  @Test
  void deadShadowLeavesEveryPrimaryResponseIntact() throws Exception {
    RecordingShadow dead = new RecordingShadow(vertx);
    URI target = dead.uri();
    dead.close();
    startTee(target, HttpShadowSinkConfig.defaults().withBreaker(50, 1000, 60_000));

    sendAllAndCheck(randomBytes(10_000));
    await().atMost(HANG_GUARD).until(() -> copies(TeeMetrics.RESULT_FAILED) == REQUESTS + 1);
    await().atMost(HANG_GUARD).until(() -> sink.inflight() == 0 && router.bufferedBytes() == 0);
  }

  @Test
  void deadSecondaryLeavesEveryPrimaryResponseAndEveryCandidateCopyIntact() throws Exception {
    RecordingShadow dead = new RecordingShadow(vertx);
    URI secondary = dead.uri();
    dead.close();
    try (RecordingShadow shadow = new RecordingShadow(vertx)) {
      startTee(shadow.uri(), List.of(secondary), HttpShadowSinkConfig.defaults().withBreaker(50, 5, 60_000));

      sendAllAndCheck(randomBytes(10_000));
      await().atMost(HANG_GUARD).until(() -> exchanges.size() == REQUESTS + 1);
      await().atMost(HANG_GUARD).until(() -> sink.inflight() == 0 && router.bufferedBytes() == 0);
      assertEquals(REQUESTS + 1, copies(TeeMetrics.RESULT_SENT));
      assertEquals(0, copies(TeeMetrics.RESULT_FAILED));
      assertTrue(exchanges.stream().allMatch(e -> e.candidate().orElseThrow().answered()
          && !e.secondary().orElseThrow().answered()));
    }
  }

  @Test
  void shadowThatAcceptsButNeverAnswersLeavesEveryPrimaryResponseIntact() throws Exception {
    NetServer silent = vertx.createNetServer().connectHandler(socket -> { });
    join(silent.listen(0, "127.0.0.1"));
    startTee(URI.create("http://127.0.0.1:" + silent.actualPort()),
        HttpShadowSinkConfig.defaults().withLimits(1024, 0, 500).withBreaker(50, 1000, 60_000));

    sendAllAndCheck(randomBytes(10_000));
    await().atMost(HANG_GUARD).until(() -> copies(TeeMetrics.RESULT_FAILED) == REQUESTS + 1);
    await().atMost(HANG_GUARD).until(() -> sink.inflight() == 0 && router.bufferedBytes() == 0);
    join(silent.close());
  }

  @Test
  void shadowReturning500sLeavesEveryPrimaryResponseIntactAndOpensTheBreaker() throws Exception {
    try (RecordingShadow shadow = new RecordingShadow(vertx).answering(500, "shadow broke")) {
      startTee(shadow.uri(), HttpShadowSinkConfig.defaults().withBreaker(50, 5, 60_000));

      for (int i = 0; i < 5; i++) {
        check(send(HttpMethod.GET, "/warm/" + i, Buffer.buffer()), HttpMethod.GET, "/warm/" + i, Buffer.buffer());
        int done = i + 1;
        await().atMost(HANG_GUARD).until(() -> copies(TeeMetrics.RESULT_SENT) == done);
      }
      sendAllAndCheck(randomBytes(10_000));
      await().atMost(HANG_GUARD).until(() -> sink.inflight() == 0 && router.bufferedBytes() == 0);
      assertEquals(REQUESTS + 1, registry.counter(TeeMetrics.DROPPED, TeeMetrics.TAG_REASON,
          DropReason.CIRCUIT_OPEN.tag()).count());
      assertEquals(5, shadow.received().size());
    }
  }

  @ParameterizedTest(name = "chunked upload: {0}")
  @ValueSource(booleans = {false, true})
  void oversizeUploadReachesThePrimaryWholeAndIsNotCopied(boolean chunked) throws Exception {
    chunkedUploads = chunked;
    try (RecordingShadow shadow = new RecordingShadow(vertx)) {
      startTee(shadow.uri(), HttpShadowSinkConfig.defaults());
      byte[] upload = randomBytes((1 << 20) + 1);
      check(send(HttpMethod.POST, "/upload/big", Buffer.buffer(upload)), HttpMethod.POST, "/upload/big",
          Buffer.buffer(upload));
      assertEquals(1, registry.counter(TeeMetrics.DROPPED, TeeMetrics.TAG_REASON,
          DropReason.BODY_TOO_LARGE.tag()).count());
      assertEquals(0, router.bufferedBytes());
      assertTrue(shadow.received().isEmpty());
    }
  }

  // ---- helpers ----

  /** REQUESTS GETs in parallel plus one POST upload; each response checked byte for byte. */
  private void sendAllAndCheck(byte[] upload) throws Exception {
    List<Future<Answer>> answers = new java.util.ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      answers.add(sendAsync(HttpMethod.GET, "/items/" + i + "?q=%20x&q=y", Buffer.buffer()));
    }
    Answer posted = send(HttpMethod.POST, "/upload/file?name=a%2Fb", Buffer.buffer(upload));
    check(posted, HttpMethod.POST, "/upload/file?name=a%2Fb", Buffer.buffer(upload));
    for (int i = 0; i < REQUESTS; i++) {
      check(join(answers.get(i)), HttpMethod.GET, "/items/" + i + "?q=%20x&q=y", Buffer.buffer());
    }
  }

  private record Answer(int status, MultiMap headers, Buffer body) {}

  private Future<Answer> sendAsync(HttpMethod method, String uri, Buffer body) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1")
        .setPort(proxy.actualPort()).setURI(uri);
    return caller.request(options)
        .compose(request -> {
          if (!chunkedUploads || body.length() == 0) {
            return request.send(body).compose(PrimaryNeverWaitsOnShadowIT::answer);
          }
          // No Content-Length: the router only learns the size by adding up the chunks.
          request.setChunked(true);
          for (int at = 0; at < body.length(); at += 16 * 1024) {
            request.write(body.slice(at, Math.min(body.length(), at + 16 * 1024)));
          }
          request.end();
          return request.response().compose(PrimaryNeverWaitsOnShadowIT::answer);
        });
  }

  /** Reads the body: called where the request is sent, so it is attached before the response can end. */
  private static Future<Answer> answer(HttpClientResponse response) {
    return response.body().map(b -> new Answer(response.statusCode(), response.headers(), b));
  }

  private Answer send(HttpMethod method, String uri, Buffer body) throws Exception {
    return join(sendAsync(method, uri, body));
  }

  private static void check(Answer answer, HttpMethod method, String uri, Buffer sent) throws Exception {
    assertEquals(200, answer.status(), uri);
    assertEquals(digest(sent), answer.headers().get("X-Digest"), uri);
    assertEquals(List.of("a=1", "b=2"), answer.headers().getAll("Set-Cookie"), uri);
    assertEquals(expectedBody(method, uri), answer.body(), uri);
  }

  private static Buffer expectedBody(HttpMethod method, String uri) {
    Buffer body = Buffer.buffer(method.name() + " " + uri + "\n");
    byte[] filler = new byte[64 * 1024];
    new Random(uri.hashCode()).nextBytes(filler);
    return body.appendBytes(filler);
  }

  private static String digest(Buffer body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes()));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] randomBytes(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }

  private double copies(String result) {
    return registry.counter(TeeMetrics.COPIES, TeeMetrics.TAG_SINK, "http", TeeMetrics.TAG_RESULT, result).count();
  }

  private static <T> T join(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
  }
}
