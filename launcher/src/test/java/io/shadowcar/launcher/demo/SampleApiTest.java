package io.shadowcar.launcher.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The demo promises exactly three differences between v1 and v2; these pin them so the demo keeps showing them. */
class SampleApiTest {

  private final SampleApi v1 = new SampleApi(SampleVariant.V1);
  private final SampleApi v2 = new SampleApi(SampleVariant.V2);

  @Test
  void v2PromotesGoldUsersToPlatinumAndLeavesOthersAlone() {
    assertEquals("gold", body(v1.answer("/api/users/2", "")).getString("tier"));
    assertEquals("platinum", body(v2.answer("/api/users/2", "")).getString("tier"));
    assertEquals(withoutServedAt(v1.answer("/api/users/4", "")), withoutServedAt(v2.answer("/api/users/4", "")));
  }

  @Test
  void v2SearchesThreeTimesSlowerAndAnswersTheSame() {
    assertEquals(3 * v1.delayMillis("/api/search"), v2.delayMillis("/api/search"));
    assertTrue(v1.delayMillis("/api/search") > 0);
    assertEquals(v1.delayMillis("/api/users/2"), v2.delayMillis("/api/users/2"));
    assertTrue(v1.delayMillis("/api/users/2") < v1.delayMillis("/api/search"));
    assertEquals(withoutServedAt(v1.answer("/api/search", "socks")), withoutServedAt(v2.answer("/api/search", "socks")));
  }

  @Test
  void v2FailsOrdersWhoseIdIsAMultipleOfSeven() {
    assertEquals(200, v1.answer("/api/orders/14", "").status());
    assertEquals(500, v2.answer("/api/orders/14", "").status());
    assertEquals(withoutServedAt(v1.answer("/api/orders/15", "")), withoutServedAt(v2.answer("/api/orders/15", "")));
  }

  @Test
  void productsAreTheSameOnBothVariants() {
    for (int id = 1; id <= 20; id++) {
      assertEquals(withoutServedAt(v1.answer("/api/products/" + id, "")),
          withoutServedAt(v2.answer("/api/products/" + id, "")));
    }
  }

  @Test
  void everyAnswerCarriesTheInstanceClock() {
    assertTrue(body(v1.answer("/api/products/1", "")).containsKey("servedAt"));
    assertTrue(body(v1.answer("/api/nothing", "")).containsKey("servedAt"));
  }

  @Test
  void unknownIdsAndPathsAre404() {
    assertEquals(404, v1.answer("/api/users/abc", "").status());
    assertEquals(404, v1.answer("/api/users/0", "").status());
    assertEquals(404, v1.answer("/api/nothing", "").status());
    assertNotEquals(404, v1.answer("/api/users/1", "").status());
  }

  private static JsonObject body(SampleAnswer answer) {
    return answer.body();
  }

  private static SampleAnswer withoutServedAt(SampleAnswer answer) {
    JsonObject body = answer.body().copy();
    body.remove("servedAt");
    return new SampleAnswer(answer.status(), body);
  }
}
