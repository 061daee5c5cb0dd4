package io.shadowcar.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shadowcar.testkit.backend.RecordingBackend;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Log formats and the access log, through the jar. */
class LoggingIT extends JarTestSupport {

  private final RecordingBackend primary = backend(RecordingBackend.Responder.ok());

  @Test
  void writesOneAccessLineperRequestInTheDocumentedTextFormat() throws Exception {
    try (SidecarProcess sidecar = launch(config("shadowcar.primary.targets=" + primary.uri(),
        "shadowcar.log.access.enabled=true"))) {
      String proxy = "http://127.0.0.1:" + sidecar.proxyPort();

      assertEquals(200, SidecarProcess.get(proxy + "/hello?x=1").statusCode());

      // TIME METHOD URI STATUS BYTES DURATION_MS REQUEST_ID UPSTREAM
      Pattern line = Pattern.compile("(?m)^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\S+ GET /hello\\?x=1 200 \\d+ "
          + "\\d+ \\S+ " + Pattern.quote(primary.uri().toString()) + "$");
      org.awaitility.Awaitility.await().until(() -> line.matcher(sidecar.output()).find());
    }
  }

  @Test
  void writesJsonLinesWhenAskedAndTheAccessFieldsAsKeyValuePairs() throws Exception {
    try (SidecarProcess sidecar = launch(config("shadowcar.primary.targets=" + primary.uri(),
        "shadowcar.log.access.enabled=true"), "-Dshadowcar.log.format=json")) {
      // JSON escapes the slashes of a URL, so the port is read from the parsed line
      Pattern listening = Pattern.compile("proxy listening on http://[^:]+:(\\d+)");
      String proxyLine = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(1))
          .until(() -> messages(sidecar).stream().filter(m -> listening.matcher(m).find()).findFirst().orElse(null),
              java.util.Objects::nonNull);
      java.util.regex.Matcher port = listening.matcher(proxyLine);
      assertTrue(port.find());

      assertEquals(200, SidecarProcess.get("http://127.0.0.1:" + port.group(1) + "/hello").statusCode());

      sidecar.awaitOutput("\"loggerName\":\"shadowcar.access\"");
      sidecar.sigterm();
      assertEquals(0, sidecar.exitCode(), sidecar.output());
      List<JsonObject> lines = sidecar.output().lines().filter(l -> l.startsWith("{")).map(JsonObject::new).toList();
      assertTrue(sidecar.output().lines().allMatch(l -> l.startsWith("{")), sidecar.output());
      JsonObject access = lines.stream().filter(l -> l.getString("loggerName").equals("shadowcar.access"))
          .findFirst().orElseThrow();
      JsonArray fields = access.getJsonArray("kvpList");
      assertTrue(fields.contains(new JsonObject().put("method", "GET")), access.encode());
      assertTrue(fields.contains(new JsonObject().put("status", "200")), access.encode());
      assertTrue(fields.contains(new JsonObject().put("upstream", primary.uri().toString())), access.encode());
      assertTrue(messages(sidecar).stream().anyMatch(m -> m.startsWith("tee: copies")), sidecar.output());
    }
  }

  /** The messages of the JSON lines written so far. */
  private static List<String> messages(SidecarProcess sidecar) {
    return sidecar.output().lines().filter(l -> l.startsWith("{"))
        .map(l -> new JsonObject(l).getString("formattedMessage")).toList();
  }
}
