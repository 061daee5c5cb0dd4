package io.shadowcar.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shadowcar.testkit.backend.RecordingBackend;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServerResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The real jar between two real backends: copies, runtime kill switch and sampling, drain on SIGTERM. */
class TeeThroughJarIT extends JarTestSupport {

  private final Promise<HttpServerResponse> heldResponse = Promise.promise();
  private final RecordingBackend primary = backend((request, response) -> {
    if (request.uri().equals("/slow")) {
      heldResponse.tryComplete(response); // answered by the test, to order it against SIGTERM
    } else {
      response.end("primary");
    }
  });
  private final RecordingBackend shadow = backend(RecordingBackend.Responder.ok());
  // HTTP/1.1: Java 17's client fails streams still in flight when an h2 server says GOAWAY, which a drain does
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private SidecarProcess launchWith(Path dynamic) throws Exception {
    return launch(config(
        "shadowcar.primary.targets=" + primary.uri(),
        "shadowcar.shadow.targets=" + shadow.uri(),
        "shadowcar.proxy.eventLoops=1",
        "shadowcar.proxy.drainSeconds=30",
        "shadowcar.config.dynamic.file=" + dynamic,
        "shadowcar.config.dynamic.pollSeconds=1"));
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static double counter(String metrics, String series) {
    Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  @Test
  void copiesToTheShadowAndFollowsTheDynamicKillSwitchAndSampling() throws Exception {
    Path dynamic = Files.writeString(dir.resolve("dynamic.properties"), "shadowcar.shadow.enabled=true\n");
    try (SidecarProcess sidecar = launchWith(dynamic)) {
      String proxy = "http://127.0.0.1:" + sidecar.proxyPort();
      String admin = "http://127.0.0.1:" + sidecar.adminPort();

      HttpResponse<String> answer = get(proxy + "/users/1?x=1");
      assertEquals(200, answer.statusCode());
      assertEquals("primary", answer.body());
      await().atMost(Duration.ofSeconds(30)).until(() -> shadow.requests().size() == 1);
      RecordingBackend.Recorded copy = shadow.single();
      assertEquals("/users/1?x=1", copy.uri());
      assertEquals("true", copy.headers().get("X-Shadow-Request"));
      assertEquals(primary.single().headers().get("X-Request-Id"), copy.headers().get("X-Request-Id"));

      Files.writeString(dynamic, "shadowcar.shadow.enabled=false\n");
      String disabled = "shadowcar_tee_skipped_total{reason=\"disabled\"}";
      await().atMost(Duration.ofSeconds(60)).until(() -> {
        assertEquals(200, get(proxy + "/off").statusCode());
        return counter(get(admin + "/metrics").body(), disabled) >= 1;
      });

      assertSkippedWithoutCopy(proxy, admin, disabled, "/while-disabled");

      Files.writeString(dynamic, "shadowcar.shadow.enabled=true\nshadowcar.shadow.sample.percent=0\n");
      String sampledOut = "shadowcar_tee_skipped_total{reason=\"sampled_out\"}";
      await().atMost(Duration.ofSeconds(60)).until(() -> {
        assertEquals(200, get(proxy + "/sampled").statusCode());
        return counter(get(admin + "/metrics").body(), sampledOut) >= 1;
      });
      assertSkippedWithoutCopy(proxy, admin, sampledOut, "/while-sampled-out");
    }
  }

  /** Once a setting is seen in force, three more requests are each counted as skipped, and none is copied. */
  private void assertSkippedWithoutCopy(String proxy, String admin, String series, String path) throws Exception {
    double before = counter(get(admin + "/metrics").body(), series);
    for (int i = 0; i < 3; i++) {
      assertEquals(200, get(proxy + path).statusCode());
    }
    assertEquals(before + 3, counter(get(admin + "/metrics").body(), series));
    assertTrue(shadow.requests().stream().noneMatch(r -> r.uri().equals(path)), "no copy of " + path);
  }

  @Test
  void sigtermDrainsTheRequestInFlightThenExitsZero() throws Exception {
    Path dynamic = Files.writeString(dir.resolve("dynamic.properties"), "");
    try (SidecarProcess sidecar = launchWith(dynamic)) {
      String proxy = "http://127.0.0.1:" + sidecar.proxyPort();
      CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(
          HttpRequest.newBuilder(URI.create(proxy + "/slow")).build(), HttpResponse.BodyHandlers.ofString());
      HttpServerResponse held = heldResponse.future().toCompletionStage().toCompletableFuture()
          .get(60, java.util.concurrent.TimeUnit.SECONDS);

      sidecar.sigterm();
      sidecar.awaitOutput("draining in-flight requests");
      held.end("finished late");

      HttpResponse<String> answer = inFlight.get(60, java.util.concurrent.TimeUnit.SECONDS);
      assertEquals(200, answer.statusCode());
      assertEquals("finished late", answer.body());
      assertEquals(0, sidecar.exitCode(), sidecar.output());
      assertTrue(sidecar.output().contains("stopped"), sidecar.output());
    }
  }
}
