package io.shadowcar.tee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shadowcar.proxy.tap.ExchangeTap;
import io.shadowcar.proxy.tap.RequestHead;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TeeRouterTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<TeeEvent> events = new ArrayList<>();

  /** The defaults with one sink tag, as the launcher would configure them. */
  private static final TeeConfig HTTP_ONLY = TeeConfig.defaults().withSinks(Set.of("http"));

  /** A router over {@code config}; a config without sinks gets the one sink tag {@code http}. */
  private TeeRouter router(TeeConfig config) {
    TeeConfig withSink = config.sinks().isEmpty() ? config.withSinks(Set.of("http")) : config;
    return new TeeRouter(withSink, events::add, registry, new SplittableRandom(7));
  }

  private static RequestHead head(HttpMethod method, String uri, String... headerPairs) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < headerPairs.length; i += 2) {
      headers.add(headerPairs[i], headerPairs[i + 1]);
    }
    return new RequestHead("rid-1", method, uri, headers, HttpVersion.HTTP_1_1, "127.0.0.1");
  }

  private double skipped(DropReason reason) {
    return registry.counter(TeeMetrics.SKIPPED, TeeMetrics.TAG_REASON, reason.tag()).count();
  }

  private double dropped(DropReason reason) {
    return registry.counter(TeeMetrics.DROPPED, TeeMetrics.TAG_REASON, reason.tag()).count();
  }

  /** Runs a whole bodiless exchange and says whether a copy came out. */
  private boolean copied(TeeRouter router, RequestHead head) {
    int before = events.size();
    ExchangeTap tap = router.open(head);
    tap.onRequestEnd();
    tap.onResponseHead(200, MultiMap.caseInsensitiveMultiMap());
    tap.onComplete(null);
    if (events.size() > before) {
      events.get(events.size() - 1).release();
      return true;
    }
    return false;
  }

  @Test
  void doesNotCaptureWhenTheSinksRefuseAtTheHead() {
    List<Set<String>> asked = new ArrayList<>();
    TeeEventHandler refusing = new TeeEventHandler() {
      @Override
      public void onTeeEvent(TeeEvent event) {
        events.add(event);
      }

      @Override
      public DropReason refusal(Set<String> sinks) {
        asked.add(sinks);
        return DropReason.CIRCUIT_OPEN;
      }
    };
    TeeRouter router = new TeeRouter(HTTP_ONLY, refusing, registry, new SplittableRandom(7));

    ExchangeTap tap = router.open(head(HttpMethod.GET, "/users/1"));

    assertSame(ExchangeTap.NONE, tap, "a refused copy is never captured");
    assertEquals(List.of(Set.of("http")), asked);
    assertEquals(1.0, dropped(DropReason.CIRCUIT_OPEN));
    assertTrue(events.isEmpty());
    assertEquals(0, router.bufferedBytes());
  }

  @Test
  void asksTheSinksOnlyAfterPolicyChose()  {
    List<Set<String>> asked = new ArrayList<>();
    TeeEventHandler handler = new TeeEventHandler() {
      @Override
      public void onTeeEvent(TeeEvent event) {
        event.release();
      }

      @Override
      public DropReason refusal(Set<String> sinks) {
        asked.add(sinks);
        return null;
      }
    };
    TeeRouter router = new TeeRouter(HTTP_ONLY, handler, registry, new SplittableRandom(7));

    assertSame(ExchangeTap.NONE, router.open(head(HttpMethod.POST, "/orders")));
    assertTrue(asked.isEmpty(), "an unsafe method is skipped before the sinks are asked");
    assertFalse(router.open(head(HttpMethod.GET, "/users/1")) == ExchangeTap.NONE);
    assertEquals(1, asked.size());
  }

  @Test
  void copiesSafeRequestWithRewrittenHeadersAtRequestEnd() {
    TeeRouter router = router(TeeConfig.defaults()
        .withCopyHeaders("X-Shadow", "-shadow", Set.of("Authorization")));
    ExchangeTap tap = router.open(head(HttpMethod.GET, "/a%2Fb/c?q=%20x&q=y",
        "Host", "api.example:8080", "X-Request-Id", "caller-id", "Connection", "close, X-Secret-Hop",
        "X-Secret-Hop", "1", "Keep-Alive", "5", "Authorization", "Bearer t", "Content-Length", "0",
        "Accept", "a", "Accept", "b", "X-Shadow", "false", "Proxy-Authorization", "x", "Expect", "100-continue"));
    assertTrue(events.isEmpty(), "no event before the request ends");
    tap.onRequestEnd();

    assertEquals(1, events.size());
    TeeEvent event = events.get(0);
    assertEquals("rid-1", event.requestId());
    assertEquals(HttpMethod.GET, event.method());
    assertEquals("/a%2Fb/c?q=%20x&q=y", event.uri());
    assertEquals("default", event.route());
    assertEquals(Set.of("http"), event.sinks());
    assertEquals(List.of(
        Map.entry("Host", "api.example-shadow:8080"),
        Map.entry("Accept", "a"),
        Map.entry("Accept", "b"),
        Map.entry("X-Request-Id", "rid-1"),
        Map.entry("X-Shadow", "true")), event.headers());
    assertEquals(0, event.body().length());
    assertFalse(event.primaryResponse().isComplete(), "the primary has not answered yet");
    tap.onComplete(null);
    event.release();
  }

  /** The copy's headers for one GET of {@code uri} carrying a token, a cookie and an API key. */
  private List<Map.Entry<String, String>> copyHeadersOf(TeeRouter router, String uri) {
    events.clear();
    ExchangeTap tap = router.open(head(HttpMethod.GET, uri, "Authorization", "Bearer t", "cookie", "sid=1",
        "X-Api-Key", "k", "Accept", "a"));
    tap.onRequestEnd();
    TeeEvent event = events.get(0);
    tap.onComplete(null);
    event.release();
    return event.headers();
  }

  @Test
  void copiesLoseTheCallersAuthorizationAndCookiesByDefault() {
    List<Map.Entry<String, String>> headers = copyHeadersOf(router(TeeConfig.defaults()), "/a");
    assertNull(HeaderList.first(headers, "Authorization"));
    assertNull(HeaderList.first(headers, "Cookie"));
    assertEquals("k", HeaderList.first(headers, "X-Api-Key"), "only the configured credential headers go");
    assertEquals("a", HeaderList.first(headers, "Accept"));
  }

  @Test
  void credentialsAreForwardedOnlyWhereTheConfigOrARouteOptsBackIn() {
    TeeConfig strict = TeeConfig.defaults().withCredentials(Set.of("Authorization", "Cookie", "X-Api-Key"), false)
        .withRoutes(List.of(new RouteRule("trusted", "/trusted/**", Set.of(), null, Set.of(), true),
            RouteRule.of("rest", "/**")));
    TeeRouter router = router(strict);
    List<Map.Entry<String, String>> trusted = copyHeadersOf(router, "/trusted/x");
    assertEquals("Bearer t", HeaderList.first(trusted, "Authorization"));
    assertEquals("sid=1", HeaderList.first(trusted, "Cookie"));
    assertNull(HeaderList.first(copyHeadersOf(router, "/other"), "X-Api-Key"));

    router.update(HTTP_ONLY.withCredentials(Set.of("Authorization", "Cookie"), true)
        .withRoutes(List.of(new RouteRule("closed", "/closed/**", Set.of(), null, Set.of(), false),
            RouteRule.of("rest", "/**"))));
    assertEquals("Bearer t", HeaderList.first(copyHeadersOf(router, "/open"), "Authorization"));
    assertNull(HeaderList.first(copyHeadersOf(router, "/closed/x"), "Authorization"));
  }

  @Test
  void killSwitchSkipsEverythingAndUpdateTurnsItBackOn() {
    TeeRouter router = router(TeeConfig.defaults().withEnabled(false));
    assertSame(ExchangeTap.NONE, router.open(head(HttpMethod.GET, "/")));
    assertEquals(1, skipped(DropReason.DISABLED));

    router.update(HTTP_ONLY);
    assertTrue(copied(router, head(HttpMethod.GET, "/")));
    router.update(HTTP_ONLY.withEnabled(false));
    assertFalse(copied(router, head(HttpMethod.GET, "/")));
    assertEquals(2, skipped(DropReason.DISABLED));
    assertEquals(0, registry.find(TeeMetrics.DROPPED).counters().stream().mapToDouble(c -> c.count()).sum(),
        "skips are not drops");
  }

  @Test
  void openExchangesKeepTheConfigTheyStartedWith() {
    TeeRouter router = router(TeeConfig.defaults().withLimits(10, 4096, 0));
    ExchangeTap started = router.open(head(HttpMethod.GET, "/before"));
    router.update(HTTP_ONLY.withLimits(1000, 4096, 0));
    started.onRequestChunk(Buffer.buffer(new byte[11]));
    started.onRequestEnd();
    started.onComplete(null);
    assertTrue(events.isEmpty(), "capped by the snapshot it opened with");
    assertEquals(1, dropped(DropReason.BODY_TOO_LARGE));

    ExchangeTap later = router.open(head(HttpMethod.GET, "/after"));
    later.onRequestChunk(Buffer.buffer(new byte[11]));
    later.onRequestEnd();
    later.onComplete(null);
    assertEquals(1, events.size());
    events.get(0).release();
    assertEquals(0, router.bufferedBytes());
  }

  @Test
  void doesNotCopyPostUnlessRouteOptsIn() {
    RouteRule orders = new RouteRule("orders", "/orders/**", Set.of(HttpMethod.POST, HttpMethod.GET), null, Set.of());
    TeeRouter router = router(TeeConfig.defaults().withRoutes(List.of(orders, RouteRule.of("rest", "/**"))));

    assertTrue(copied(router, head(HttpMethod.POST, "/orders/7")));
    assertEquals("orders", events.get(0).route());
    assertFalse(copied(router, head(HttpMethod.POST, "/users/7")));
    assertFalse(copied(router, head(HttpMethod.DELETE, "/orders/7")));
    assertTrue(copied(router, head(HttpMethod.GET, "/users/7")));
    assertEquals(2, skipped(DropReason.UNSAFE_METHOD));
  }

  @Test
  void capturesNoPrimaryBodyWhenNothingBehindTheRouteReadsIt() {
    List<Set<String>> askedAbout = new ArrayList<>();
    TeeEventHandler blind = new TeeEventHandler() {
      @Override
      public void onTeeEvent(TeeEvent event) {
        events.add(event);
      }

      @Override
      public boolean readsPrimaryResponse(Set<String> sinks) {
        askedAbout.add(sinks);
        return false;
      }
    };
    TeeRouter router = new TeeRouter(HTTP_ONLY.withLimits(1000, 4096, 10), blind, registry, new SplittableRandom(7));
    ExchangeTap tap = router.open(head(HttpMethod.GET, "/r"));
    tap.onRequestEnd();
    tap.onResponseHead(200, MultiMap.caseInsensitiveMultiMap());
    tap.onResponseChunk(Buffer.buffer("0123456"));
    assertEquals(0, router.bufferedBytes(), "no response byte is held");
    tap.onComplete(null);

    CapturedResponse primary = events.get(0).primaryResponse().result();
    assertEquals(200, primary.statusCode());
    assertEquals(0, primary.body().length());
    assertEquals(7, primary.bodyBytesSeen());
    assertEquals(List.of(Set.of("http")), askedAbout, "asked once, when the config was installed");
    events.get(0).release();
  }

  @Test
  void routeWithoutAnySinkLosesItsCopiesAsSinkDown() {
    TeeRouter router = new TeeRouter(TeeConfig.defaults(), events::add, registry, new SplittableRandom(7));

    assertSame(ExchangeTap.NONE, router.open(head(HttpMethod.GET, "/users/1")));
    assertEquals(1, dropped(DropReason.SINK_DOWN));
  }

  @Test
  void rejectsSinkTagsThatCannotBeMetricTags() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TeeConfig.defaults().withSinks(Set.of("Kafka Topic")));
    assertTrue(e.getMessage().startsWith("sinks: Kafka Topic"), e.getMessage());
  }

  @Test
  void rejectsUnsafeMethodsOutsideRoutes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TeeConfig(true, 100, null,
        Set.of(HttpMethod.GET, HttpMethod.POST), List.of(), Set.of("http"), 10, 10, "X-S", "", Set.of(), 0, Set.of(), false));
    assertTrue(e.getMessage().startsWith("methods: POST"), e.getMessage());
  }

  @Test
  void skipsPathsNoRouteMatchesAndUsesRouteSinks() {
    RouteRule api = new RouteRule("api", "/api/*", Set.of(), null, Set.of("kafka", "http"));
    TeeRouter router = router(TeeConfig.defaults().withRoutes(List.of(api)));

    assertFalse(copied(router, head(HttpMethod.GET, "/health")));
    assertFalse(copied(router, head(HttpMethod.GET, "/api/a/b")));
    assertEquals(2, skipped(DropReason.NO_ROUTE));
    assertTrue(copied(router, head(HttpMethod.GET, "/api/a?x=/y/z")));
    assertEquals(Set.of("kafka", "http"), events.get(0).sinks());
  }

  @ParameterizedTest(name = "POST {0}")
  @ValueSource(strings = {"/search/../orders/create", "/search/%2e%2e/orders", "/search%2f..%2forders",
      "/search/..;/orders", "/search//..//orders", "/search/./../orders"})
  void doesNotCopyAPostThatOnlySpellsItsWayThroughAnOptedInRoute(String uri) {
    RouteRule search = new RouteRule("search", "/search/**", Set.of(HttpMethod.POST, HttpMethod.GET), null, Set.of());
    TeeRouter router = router(TeeConfig.defaults().withRoutes(List.of(search, RouteRule.of("rest", "/**"))));

    assertFalse(copied(router, head(HttpMethod.POST, uri)), "matched as /orders..., where POST is not copied");
    assertEquals(1, skipped(DropReason.UNSAFE_METHOD));
    assertTrue(copied(router, head(HttpMethod.POST, "/search/x/../q")), "still under /search after normalising");
  }

  @Test
  void matchesTheNormalisedPathButCopiesTheTargetAsSent() {
    RouteRule orders = RouteRule.of("orders", "/orders/*");
    TeeRouter router = router(TeeConfig.defaults().withRoutes(List.of(orders)));
    String uri = "//search/..//orders/%63reate?next=/../x";

    ExchangeTap tap = router.open(head(HttpMethod.GET, uri));
    tap.onRequestEnd();
    tap.onComplete(null);

    assertEquals(1, events.size());
    assertEquals("orders", events.get(0).route());
    assertEquals(uri, events.get(0).uri(), "the copy goes out byte-exact");
    events.get(0).release();
  }

  @ParameterizedTest(name = "{0} under {1}: {2}")
  @CsvSource({
      "//a//b, /a/b, true",
      "/files/a%2Fb, /files/*, false",
      "/files/a%2Fb, /files/*/*, true",
      "/a%2Fb, /a/b, true",
      "/a/b, /a%2fb, true",
      "/a/%62/, /a/b/, true",
      "/a/b/., /a/b, false",
      "/a/b/., /a/b/**, true",
      "/a/b/.., /a, false",
      "/a/b/.., /a/, true",
      "/a/b.., /a/b, false",
  })
  void matchesRoutesAgainstTheNormalisedPath(String uri, String glob, boolean expected) {
    TeeRouter router = router(TeeConfig.defaults().withRoutes(List.of(RouteRule.of("r", glob))));
    assertEquals(expected, copied(router, head(HttpMethod.GET, uri)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/a/../b", "/a/./**", "/a/%2E%2E/b", "/a/..;x/b"})
  void rejectsRouteGlobsWithDotSegments(String glob) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RouteRule.of("r", glob));
    assertTrue(e.getMessage().contains("without . or .. segments"), e.getMessage());
  }

  @Test
  void routePercentOverridesTheGlobalOne() {
    RouteRule quiet = new RouteRule("quiet", "/quiet/**", Set.of(), 0.0, Set.of());
    TeeRouter router = router(TeeConfig.defaults().withRoutes(List.of(quiet, RouteRule.of("rest", "/**"))));
    for (int i = 0; i < 20; i++) {
      assertFalse(copied(router, head(HttpMethod.GET, "/quiet/" + i)));
      assertTrue(copied(router, head(HttpMethod.GET, "/loud/" + i)));
    }
    assertEquals(20, skipped(DropReason.SAMPLED_OUT));
  }

  @ParameterizedTest
  @CsvSource({"api.example, api.example-shadow", "api.example:8080, api.example-shadow:8080",
      "[::1]:8080, [::1]-shadow:8080", "[::1], [::1]-shadow"})
  void hostSuffixGoesBeforeThePort(String host, String expected) {
    assertEquals(expected, CopyHeaders.withSuffix(host, "-shadow"));
  }

  @Test
  void samplesTheConfiguredShareWithARandomDraw() {
    TeeRouter router = router(TeeConfig.defaults().withSampling(12.5, null));
    int copies = 0;
    for (int i = 0; i < 20_000; i++) {
      copies += copied(router, head(HttpMethod.GET, "/x")) ? 1 : 0;
    }
    // Seeded generator: deterministic, and a fair 12.5% draw lands within 1% of 2500 out of 20000.
    assertTrue(copies > 2300 && copies < 2700, "copies: " + copies);
    assertEquals(20_000 - copies, skipped(DropReason.SAMPLED_OUT));
  }

  @ParameterizedTest
  @CsvSource({"0, 0", "100, 50"})
  void zeroAndHundredPercentAreExact(double percent, int expected) {
    TeeRouter router = router(TeeConfig.defaults().withSampling(percent, null));
    int copies = 0;
    for (int i = 0; i < 50; i++) {
      copies += copied(router, head(HttpMethod.GET, "/x")) ? 1 : 0;
    }
    assertEquals(expected, copies);
  }

  @ParameterizedTest
  @CsvSource({"header:X-User", "cookie:sid", "query:user"})
  void sameKeyAlwaysGetsTheSameDecision(String key) {
    TeeRouter router = router(TeeConfig.defaults().withSampling(50, SampleKey.parse(key)));
    Map<String, Boolean> decisions = new HashMap<>();
    int usersCopied = 0;
    for (int user = 0; user < 200; user++) {
      String id = "user-" + user;
      for (int request = 0; request < 5; request++) {
        RequestHead head = switch (key) {
          case "header:X-User" -> head(HttpMethod.GET, "/p/" + request, "X-User", id);
          case "cookie:sid" -> head(HttpMethod.GET, "/p/" + request, "Cookie", "theme=dark; sid=" + id);
          default -> head(HttpMethod.GET, "/p/" + request + "?a=1&user=" + id);
        };
        boolean copied = copied(router, head);
        Boolean first = decisions.putIfAbsent(id, copied);
        if (first != null) {
          assertEquals(first, copied, "a user's requests are all copied or none");
        } else if (copied) {
          usersCopied++;
        }
      }
    }
    assertTrue(usersCopied > 70 && usersCopied < 130, "users copied: " + usersCopied);
  }

  @Test
  void requestsWithoutTheKeyFallBackToARandomDraw() {
    TeeRouter router = router(TeeConfig.defaults().withSampling(50, SampleKey.parse("header:X-User")));
    int copies = 0;
    for (int i = 0; i < 1000; i++) {
      copies += copied(router, head(HttpMethod.GET, "/anon")) ? 1 : 0;
    }
    assertTrue(copies > 400 && copies < 600, "copies: " + copies);
  }

  @ParameterizedTest(name = "body {0} bytes in chunks of {1}, cap 1000 → copied {2}")
  @CsvSource({
      "999, 999, true", "1000, 1000, true", "1001, 1001, false",
      "999, 7, true", "1000, 10, true", "1001, 7, false", "5000, 1, false"})
  void capsTheAccumulatedBodyNotEachChunk(int size, int chunk, boolean copied) {
    TeeRouter router = router(TeeConfig.defaults().withLimits(1000, 4096, 0));
    byte[] bytes = new byte[size];
    new SplittableRandom(size).nextBytes(bytes);
    // No Content-Length: a chunked upload, so only the accumulated size can tell.
    ExchangeTap tap = router.open(head(HttpMethod.GET, "/upload"));
    for (int at = 0; at < size; at += chunk) {
      tap.onRequestChunk(Buffer.buffer(bytes).slice(at, Math.min(size, at + chunk)));
    }
    tap.onRequestEnd();
    assertEquals(copied ? 1 : 0, events.size());
    if (copied) {
      assertEquals(Buffer.buffer(bytes), events.get(0).body());
      events.get(0).release();
    } else {
      assertEquals(1, dropped(DropReason.BODY_TOO_LARGE));
      assertEquals(0, router.bufferedBytes(), "an over-size capture gives its bytes back at once");
    }
    tap.onComplete(null);
    assertEquals(0, router.bufferedBytes());
  }

  @Test
  void declaredOversizeBodyIsNeverCaptured() {
    TeeRouter router = router(TeeConfig.defaults().withLimits(1000, 4096, 0));
    assertSame(ExchangeTap.NONE, router.open(head(HttpMethod.GET, "/upload", "Content-Length", "1001")));
    assertEquals(1, dropped(DropReason.BODY_TOO_LARGE));
  }

  @Test
  void globalBudgetDropsCapturesOnceFullAndRefillsWhenReleased() {
    TeeRouter router = router(TeeConfig.defaults().withLimits(800, 1000, 0));
    ExchangeTap first = router.open(head(HttpMethod.GET, "/a"));
    first.onRequestChunk(Buffer.buffer(new byte[700]));
    ExchangeTap second = router.open(head(HttpMethod.GET, "/b"));
    second.onRequestChunk(Buffer.buffer(new byte[200]));
    second.onRequestChunk(Buffer.buffer(new byte[200]));
    assertEquals(1, dropped(DropReason.BUFFER_FULL));
    assertEquals(700, router.bufferedBytes(), "the dropped capture gave its 200 bytes back");

    first.onRequestEnd();
    second.onRequestEnd();
    assertEquals(1, events.size());
    first.onComplete(null);
    second.onComplete(null);
    assertEquals(700, router.bufferedBytes(), "the sink still holds the first copy");
    events.get(0).release();
    assertEquals(0, router.bufferedBytes());

    ExchangeTap third = router.open(head(HttpMethod.GET, "/c"));
    third.onRequestChunk(Buffer.buffer(new byte[800]));
    third.onRequestEnd();
    assertEquals(2, events.size());
    third.onComplete(null);
    events.get(1).release();
    assertEquals(0, router.bufferedBytes());
  }

  @Test
  void releasesExactlyOnceWhenTheCallerAbortsBeforeTheRequestEnds() {
    TeeRouter router = router(TeeConfig.defaults());
    ExchangeTap tap = router.open(head(HttpMethod.GET, "/slow-upload"));
    tap.onRequestChunk(Buffer.buffer(new byte[300]));
    assertEquals(300, router.bufferedBytes());

    tap.onComplete(new IOException("caller went away"));
    tap.onComplete(new IOException("late duplicate"));
    tap.onRequestEnd();
    assertEquals(0, router.bufferedBytes());
    assertTrue(events.isEmpty());
    assertEquals(1, dropped(DropReason.CALLER_ABORTED));
  }

  @Test
  void capturesThePrimaryResponseUpToItsCapWithoutHoldingItBack() {
    TeeRouter router = router(TeeConfig.defaults().withLimits(1000, 4096, 10));
    ExchangeTap tap = router.open(head(HttpMethod.GET, "/r"));
    tap.onRequestEnd();
    TeeEvent event = events.get(0);
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Set-Cookie", "a=1").add("Set-Cookie", "b=2");
    tap.onResponseHead(201, headers);
    tap.onResponseChunk(Buffer.buffer("0123456"));
    tap.onResponseChunk(Buffer.buffer("789abcdef"));
    assertEquals(10, router.bufferedBytes());
    tap.onComplete(null);

    CapturedResponse primary = event.primaryResponse().result();
    assertEquals(201, primary.statusCode());
    assertEquals(List.of(Map.entry("Set-Cookie", "a=1"), Map.entry("Set-Cookie", "b=2")), primary.headers());
    assertEquals("0123456789", primary.body().toString());
    assertTrue(primary.bodyTruncated());
    assertEquals(16, primary.bodyBytesSeen());
    event.release();
    assertEquals(0, router.bufferedBytes());
    assertThrows(IllegalStateException.class, event::release);
  }

  @Test
  void failsThePrimaryCaptureWhenThePrimaryFailsAfterTheRequestEnded() {
    TeeRouter router = router(TeeConfig.defaults());
    ExchangeTap tap = router.open(head(HttpMethod.GET, "/r"));
    tap.onRequestEnd();
    TeeEvent event = events.get(0);
    event.release();
    assertEquals(0, router.bufferedBytes());
    tap.onComplete(new IOException("reset"));
    assertTrue(event.primaryResponse().failed());
    assertNull(event.primaryResponse().result());
  }

  @Test
  void fanOutHoldsTheBytesUntilEveryHolderReleased() {
    TeeRouter router = router(TeeConfig.defaults());
    ExchangeTap tap = router.open(head(HttpMethod.GET, "/r"));
    tap.onRequestChunk(Buffer.buffer("body"));
    tap.onRequestEnd();
    tap.onComplete(null);
    TeeEvent event = events.get(0);
    event.retain();
    event.release();
    assertEquals(4, router.bufferedBytes());
    event.release();
    assertEquals(0, router.bufferedBytes());
    assertThrows(IllegalStateException.class, event::retain);
  }
}
