package io.shadowcar.launcher.demo;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.function.LongFunction;

/**
 * The demo's JSON API under {@code /api/}, as v1 or v2 answers it. v2 differs from v1 in exactly three known ways,
 * so the diff dashboard has something real to find next to the noise:
 * <ul>
 *   <li>{@code GET /api/users/{id}}: users whose v1 tier is {@code gold} are {@code platinum} (a changed field);
 *   <li>{@code GET /api/search?q=}: 3× slower, 150 ms instead of 50 (a slower endpoint; the others take 10 ms);
 *   <li>{@code GET /api/orders/{id}}: 500 for ids that are multiples of 7 (a new error).
 * </ul>
 * {@code GET /api/products/{id}} is the same on both. Every answer carries {@code "servedAt"} (the instance's clock),
 * which differs between any two instances, v1 against v1 included: noise a secondary lets the diff recognise.
 */
final class SampleApi {

  static final String PREFIX = "/api/";
  /** Time every API answer takes, so that timer jitter stays well under the diff's 1.2× latency factor. */
  static final long WORK_MILLIS = 10;
  /** v1's search time: long enough that v2's extra 100 ms stands far above the demo's JIT and scheduling jitter. */
  static final long SEARCH_MILLIS = 50;
  private static final String USERS = "/api/users/";
  private static final String ORDERS = "/api/orders/";
  private static final String PRODUCTS = "/api/products/";
  private static final String SEARCH = "/api/search";
  private static final String[] TIERS = {"bronze", "silver", "gold"};

  private final SampleVariant variant;

  SampleApi(SampleVariant variant) {
    this.variant = variant;
  }

  static boolean handles(String path) {
    return path.startsWith(PREFIX);
  }

  /** How long to wait before answering a path under {@link #PREFIX}; a timer waits it out, never the event loop. */
  long delayMillis(String path) {
    if (!path.equals(SEARCH)) {
      return WORK_MILLIS;
    }
    return variant == SampleVariant.V2 ? 3 * SEARCH_MILLIS : SEARCH_MILLIS;
  }

  /** The answer to a path under {@link #PREFIX}; {@code query} is the {@code q} parameter (empty when absent). */
  SampleAnswer answer(String path, String query) {
    SampleAnswer answer;
    if (path.equals(SEARCH)) {
      answer = SampleAnswer.ok(search(query));
    } else if (path.startsWith(USERS)) {
      answer = byId(path, USERS, "user", this::user);
    } else if (path.startsWith(ORDERS)) {
      answer = byId(path, ORDERS, "order", this::order);
    } else if (path.startsWith(PRODUCTS)) {
      answer = byId(path, PRODUCTS, "product", id -> SampleAnswer.ok(product(id)));
    } else {
      answer = SampleAnswer.error(404, "no such path");
    }
    answer.body().put("servedAt", Instant.now().toString());
    return answer;
  }

  private SampleAnswer user(long id) {
    String tier = TIERS[(int) (id % TIERS.length)];
    if (variant == SampleVariant.V2 && tier.equals("gold")) {
      tier = "platinum";
    }
    return SampleAnswer.ok(new JsonObject().put("id", id).put("name", "user-" + id)
        .put("email", "user-" + id + "@example.org").put("tier", tier));
  }

  private SampleAnswer order(long id) {
    if (variant == SampleVariant.V2 && id % 7 == 0) {
      return SampleAnswer.error(500, "order store unavailable");
    }
    JsonArray items = new JsonArray();
    for (long i = 0; i <= id % 3; i++) {
      items.add(new JsonObject().put("product", product((id + i) % 100 + 1)).put("quantity", i + 1));
    }
    return SampleAnswer.ok(new JsonObject().put("id", id).put("customer", id % 50 + 1)
        .put("status", id % 4 == 0 ? "PENDING" : "SHIPPED").put("items", items));
  }

  private static JsonObject product(long id) {
    return new JsonObject().put("id", id).put("name", "product-" + id).put("priceCents", 199 + id * 100 % 9_900);
  }

  private static JsonObject search(String query) {
    JsonArray hits = new JsonArray();
    int seed = Math.floorMod(query.hashCode(), 100);
    for (int i = 0; i < 3; i++) {
      hits.add(product(seed + i + 1).put("match", query));
    }
    return new JsonObject().put("query", query).put("hits", hits);
  }

  private static SampleAnswer byId(String path, String prefix, String what, LongFunction<SampleAnswer> answer) {
    try {
      long id = Long.parseLong(path.substring(prefix.length()));
      return id > 0 ? answer.apply(id) : SampleAnswer.error(404, "no such " + what);
    } catch (NumberFormatException e) {
      return SampleAnswer.error(404, "no such " + what);
    }
  }
}
