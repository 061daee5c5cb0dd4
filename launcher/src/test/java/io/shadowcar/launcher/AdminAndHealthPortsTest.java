package io.shadowcar.launcher;

import static io.shadowcar.launcher.RawHttp.body;
import static io.shadowcar.launcher.RawHttp.call;
import static io.shadowcar.launcher.RawHttp.status;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shadowcar.testkit.backend.RecordingBackend;
import io.shadowcar.testkit.backend.RecordingBackend.Recorded;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sidecar in-process, every port on loopback: the admin port refuses what a DNS-rebinding or cross-site page
 * would send, the health port serves balancers read-only, {@code /api/config} shows no secret, callers cannot pose
 * as copies, and copies carry no caller credentials.
 */
class AdminAndHealthPortsTest {

  @TempDir Path dir;
  private final Vertx vertx = Vertx.vertx();
  private final RecordingBackend primary = RecordingBackend.start(vertx, RecordingBackend.Responder.ok());
  private final RecordingBackend shadow = RecordingBackend.start(vertx, RecordingBackend.Responder.ok());
  private Sidecar sidecar;

  @BeforeEach
  void start() throws Exception {
    Path config = InProcessSidecar.config(dir,
        "shadowcar.primary.targets=" + primary.uri(),
        "shadowcar.shadow.targets=" + shadow.uri(),
        "shadowcar.shadow.kafka.producer.sasl.jaas.config=PlainLoginModule required username=\"u\" password=\"kafka-s3cret\";",
        "app.datasource.url=jdbc:postgresql://db/app?user=app&password=db-s3cret");
    sidecar = InProcessSidecar.start(config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  @AfterEach
  void stop() {
    if (sidecar != null) {
      sidecar.stop();
    }
    primary.close();
    shadow.close();
    vertx.close().await();
  }

  private boolean outOfService() {
    String answer = call(sidecar.adminPort(), "GET", "/api/status", "127.0.0.1");
    return new JsonObject(body(answer)).getBoolean("outOfService");
  }

  @Test
  void theAdminPortRefusesChangesARebindingOrCrossSitePageWouldMake() {
    int admin = sidecar.adminPort();
    assertEquals(403, status(call(admin, "PUT", "/api/status?value=OUT_OF_SERVICE", "rebind.attacker.example:" + admin)));
    assertEquals(403, status(call(admin, "PUT", "/api/status?value=OUT_OF_SERVICE", "127.0.0.1:" + admin,
        "Origin: http://attacker.example")));
    assertEquals(403, status(call(admin, "POST", "/api/diff/clear", "localhost:" + admin,
        "Sec-Fetch-Site: cross-site", "Sec-Fetch-Mode: no-cors")));
    assertEquals(403, status(call(admin, "GET", "/api/config", "rebind.attacker.example:" + admin)));
    assertFalse(outOfService());

    assertEquals(200, status(call(admin, "PUT", "/api/status?value=OUT_OF_SERVICE", "localhost:" + admin)));
    assertTrue(outOfService());
    assertEquals(200, status(call(admin, "PUT", "/api/status?value=UP", "127.0.0.1:" + admin)));
    assertFalse(outOfService());
  }

  @Test
  void theHealthPortServesBalancersAndNothingThatChangesOrShowsConfig() {
    int health = sidecar.healthPort();
    assertTrue(health > 0 && health != sidecar.adminPort());
    String check = call(health, "GET", "/healthcheck", "10.0.0.5:" + health);
    assertEquals(200, status(check), check);
    assertEquals("passing", new JsonObject(body(check)).getString("status"));
    assertEquals(200, status(call(health, "GET", "/ready", "any.name")));
    assertEquals(200, status(call(health, "GET", "/api/status", "10.0.0.5")));
    assertTrue(body(call(health, "GET", "/", "10.0.0.5")).contains("<html"));
    for (String[] refused : new String[][] {{"PUT", "/api/status?value=OUT_OF_SERVICE"},
        {"PUT", "/api/checks/x/pass"}, {"GET", "/api/config"}, {"GET", "/metrics"}, {"POST", "/api/diff/clear"},
        {"GET", "/api/diff/status"}}) {
      int code = status(call(health, refused[0], refused[1], "127.0.0.1"));
      assertTrue(code == 404 || code == 405, refused[0] + " " + refused[1] + " answered " + code);
    }
    assertFalse(outOfService());
  }

  @Test
  void apiConfigMasksSecretsByKeyAndInsideValues() {
    String config = body(call(sidecar.adminPort(), "GET", "/api/config", "127.0.0.1"));
    assertFalse(config.contains("kafka-s3cret"), config);
    assertFalse(config.contains("db-s3cret"), config);
    JsonObject json = new JsonObject(config);
    assertEquals("******", json.getString("shadowcar.shadow.kafka.producer.sasl.jaas.config"));
    assertEquals("jdbc:postgresql://db/app?user=app&password=******", json.getString("app.datasource.url"));
  }

  @Test
  void callersCannotPoseAsCopiesAndCopiesCarryNoCallerCredentials() {
    String answer = call(sidecar.proxyPort(), "GET", "/orders/7", "shop.example", "Authorization: Bearer user-s3cret",
        "Cookie: sid=user-s3cret", "X-Shadow-Request: true", "X-Request-Id: order-7.lookup");
    assertEquals(200, status(answer), answer);
    assertTrue(answer.contains("\r\nx-request-id: order-7.lookup\r\n"), answer);

    Recorded atPrimary = primary.single();
    assertEquals("Bearer user-s3cret", atPrimary.headers().get("Authorization"), "the primary path is untouched");
    assertEquals("sid=user-s3cret", atPrimary.headers().get("Cookie"));
    assertNull(atPrimary.headers().get("X-Shadow-Request"), "only copies carry the marker");

    await().atMost(Duration.ofSeconds(30)).until(() -> shadow.requests().size() == 1);
    Recorded copy = shadow.single();
    assertEquals("true", copy.headers().get("X-Shadow-Request"));
    assertEquals("order-7.lookup", copy.headers().get("X-Request-Id"));
    assertNull(copy.headers().get("Authorization"));
    assertNull(copy.headers().get("Cookie"));
  }
}
