package io.shadowcar.tee;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shadowcar.proxy.tap.ExchangeTap;
import io.shadowcar.proxy.tap.RequestHead;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * "A skipped request costs one branch": measured as heap allocated by the decision, not as time. An allocating skip
 * path (a substring, an iterator, a boxed value) costs at least 16 bytes per request, which the bound below catches.
 */
class SkipCostTest {

  private static final int REQUESTS = 200_000;

  @ParameterizedTest
  @ValueSource(strings = {"disabled", "sampled_out", "unsafe_method", "no_route"})
  void skippingARequestAllocatesNothing(String reason) {
    TeeConfig base = TeeConfig.defaults().withSinks(Set.of("http")).withRoutes(List.of(
        new RouteRule("api", "/api/**", Set.of(), null, Set.of()), RouteRule.of("static", "/static/*.js")));
    TeeConfig config = switch (reason) {
      case "disabled" -> base.withEnabled(false);
      case "sampled_out" -> base.withSampling(0.0001, SampleKey.parse("header:X-User"));
      default -> base;
    };
    String uri = reason.equals("no_route") ? "/health/live?verbose=1" : "/api/users/7?q=1";
    HttpMethod method = reason.equals("unsafe_method") ? HttpMethod.POST : HttpMethod.GET;
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Host", "a").add("X-User", "user-7");
    RequestHead head = new RequestHead("rid", method, uri, headers, HttpVersion.HTTP_1_1, "127.0.0.1");
    TeeRouter router = new TeeRouter(config, event -> { }, new SimpleMeterRegistry());

    for (int i = 0; i < REQUESTS; i++) {
      router.open(head); // warm up: JIT, counter cells
    }
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    // The best of a few rounds: the first may still pay for JIT compilation of the loop itself.
    long allocated = Long.MAX_VALUE;
    for (int round = 0; round < 3; round++) {
      long before = threads.getThreadAllocatedBytes(id);
      for (int i = 0; i < REQUESTS; i++) {
        assertSame(ExchangeTap.NONE, router.open(head));
      }
      allocated = Math.min(allocated, threads.getThreadAllocatedBytes(id) - before);
    }
    System.out.printf("skip %s: %d bytes for %d requests%n", reason, allocated, REQUESTS);
    assertTrue(allocated < REQUESTS / 10, reason + " allocated " + allocated + " bytes for " + REQUESTS + " skips");
  }
}
