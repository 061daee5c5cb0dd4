package io.shadowcar.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shadowcar.testkit.backend.RecordingBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The real jar with the diff switched off, then on at runtime: while off, teed exchanges never reach the diff (it is
 * detached, nothing is captured or queued for it); once on, the next exchanges are compared.
 */
class DiffSwitchThroughJarIT extends JarTestSupport {

  private static final String SKIPPED_DISABLED = "shadowcar_diff_skipped_total{reason=\"disabled\"}";
  private static final String COPIES_SENT = "shadowcar_tee_copies_total{result=\"sent\",sink=\"http\"}";

  private final RecordingBackend primary = backend((request, response) ->
      response.putHeader("content-type", "application/json").end("{\"v\":1}"));
  private final RecordingBackend shadow = backend((request, response) ->
      response.putHeader("content-type", "application/json").end("{\"v\":2}"));
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private double metric(String admin, String series) throws Exception {
    Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE)
        .matcher(get(admin + "/metrics").body());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  /** Sum of {@code shadowcar_diff_exchanges_total} over its verdicts: exchanges the diff compared. */
  private double compared(String admin) throws Exception {
    Matcher m = Pattern.compile("^shadowcar_diff_exchanges_total\\{[^}]*} (\\S+)$", Pattern.MULTILINE)
        .matcher(get(admin + "/metrics").body());
    double sum = 0;
    while (m.find()) {
      sum += Double.parseDouble(m.group(1));
    }
    return sum;
  }

  @Test
  void aDiffSwitchedOffGetsNoExchangeAndSwitchedOnComparesTheNextOnes() throws Exception {
    Path dynamic = Files.writeString(dir.resolve("dynamic.properties"), "shadowcar.diff.enabled=false\n");
    try (SidecarProcess sidecar = launch(config(
        "shadowcar.primary.targets=" + primary.uri(),
        "shadowcar.shadow.targets=" + shadow.uri(),
        "shadowcar.config.dynamic.file=" + dynamic,
        "shadowcar.config.dynamic.pollSeconds=1"))) {
      String proxy = "http://127.0.0.1:" + sidecar.proxyPort();
      String admin = "http://127.0.0.1:" + sidecar.adminPort();

      for (int i = 0; i < 3; i++) {
        assertEquals(200, get(proxy + "/off/" + i).statusCode());
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> metric(admin, COPIES_SENT) >= 3);

      Files.writeString(dynamic, "shadowcar.diff.enabled=true\n");
      await().atMost(Duration.ofSeconds(60)).until(() -> {
        assertEquals(200, get(proxy + "/on").statusCode());
        return compared(admin) >= 1;
      });
      // The diff's queue is one thread in order: had the copies made while off been queued, they were counted
      // (as skipped) before the first comparison.
      assertEquals(0, metric(admin, SKIPPED_DISABLED), sidecar.output());
    }
  }
}
