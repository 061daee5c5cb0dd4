package io.shadowcar.launcher.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shadowcar.sink.kafka.RecordedExchange;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class ReplaySelectionTest {

  private static final String[] REQUIRED = {"--bootstrap", "k:9092", "--topic", "t", "--target", "http://svc"};

  @Test
  void skipsUnsafeMethodsUnlessAllowed() throws Exception {
    ReplaySelection safeOnly = selection();
    ReplaySelection all = selection("--allow-unsafe");

    for (String method : List.of("GET", "HEAD", "OPTIONS", "TRACE")) {
      assertEquals(Optional.empty(), safeOnly.skip(exchange(method, "default", "/x")));
    }
    for (String method : List.of("POST", "PUT", "PATCH", "DELETE", "PURGE")) {
      assertEquals(Optional.of(SkipReason.UNSAFE_METHOD), safeOnly.skip(exchange(method, "default", "/x")));
      assertEquals(Optional.empty(), all.skip(exchange(method, "default", "/x")));
    }
  }

  @Test
  void filtersByRouteMethodAndPathWithoutTheQuery() throws Exception {
    ReplaySelection selection = selection("--route", "orders-*", "--method", "GET", "--path", "/orders/*/items");

    assertEquals(Optional.empty(), selection.skip(exchange("GET", "orders-v2", "/orders/7/items?page=2")));
    assertEquals(Optional.of(SkipReason.FILTERED), selection.skip(exchange("GET", "users", "/orders/7/items")));
    assertEquals(Optional.of(SkipReason.FILTERED), selection.skip(exchange("HEAD", "orders-v2", "/orders/7/items")));
    assertEquals(Optional.of(SkipReason.FILTERED), selection.skip(exchange("GET", "orders-v2", "/orders/7/8/items")));
  }

  @Test
  void pathGlobsFollowTheRoutesDialect() {
    Predicate<String> tree = ReplaySelection.glob("/api/**", true);
    assertTrue(tree.test("/api"));
    assertTrue(tree.test("/api/a/b"));
    assertFalse(tree.test("/apix"));
    Predicate<String> one = ReplaySelection.glob("/v?/*.json", true);
    assertTrue(one.test("/v1/a.json"));
    assertFalse(one.test("/v1/a/b.json"));
    assertTrue(ReplaySelection.glob("a.*", false).test("a.b/c"));
    assertFalse(ReplaySelection.glob("a.*", false).test("abc"));
  }

  private static ReplaySelection selection(String... more) throws Exception {
    String[] all = new String[REQUIRED.length + more.length];
    System.arraycopy(REQUIRED, 0, all, 0, REQUIRED.length);
    System.arraycopy(more, 0, all, REQUIRED.length, more.length);
    return new ReplaySelection(ReplayArguments.parse(all));
  }

  private static RecordedExchange exchange(String method, String route, String uri) {
    return new RecordedExchange("rid", 1L, route, method, uri, List.of(), null, Optional.empty(), Optional.empty());
  }
}
