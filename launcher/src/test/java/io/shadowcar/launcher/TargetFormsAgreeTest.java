package io.shadowcar.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shadowcar.common.config.ConfigProblem;
import io.shadowcar.common.config.InvalidConfigException;
import io.shadowcar.common.target.TargetUrl;
import io.shadowcar.launcher.config.ConfigBinder;
import io.shadowcar.launcher.config.ConfigSnapshot;
import io.shadowcar.launcher.config.KnownSettings;
import io.shadowcar.launcher.config.SidecarConfig;
import io.shadowcar.launcher.config.TargetsSpec;
import io.shadowcar.proxy.ProxyServer;
import io.shadowcar.proxy.tap.TrafficTap;
import io.shadowcar.proxy.upstream.TargetSource;
import io.shadowcar.testkit.backend.RecordingBackend;
import io.shadowcar.testkit.tls.TestCertificates;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code --check-config} and the running proxy accept exactly the same target forms: each value of the table is bound
 * the way {@code --check-config} binds it, and every value it accepts is then served by a real proxy to a real
 * backend of the URL's kind (plain HTTP/1.1, TLS, h2c), while every value it refuses is refused by the parser the
 * runtime uses too.
 */
class TargetFormsAgreeTest {

  private static final Vertx VERTX = Vertx.vertx();
  private static final TestCertificates CA = TestCertificates.authority("target forms CA");
  private static RecordingBackend http;
  private static RecordingBackend https;
  private static RecordingBackend h2c;
  @TempDir static Path dir;

  @BeforeAll
  static void backends() {
    http = RecordingBackend.start(VERTX, (request, response) -> response.end("http " + request.uri()));
    https = RecordingBackend.startTls(VERTX, CA.issue("localhost", "127.0.0.1"),
        (request, response) -> response.end("https " + request.uri()));
    h2c = RecordingBackend.start(VERTX, (request, response) -> response.end(request.version() + " " + request.uri()));
  }

  @AfterAll
  static void close() throws Exception {
    VERTX.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static String fill(String template) {
    return template.replace("{http}", String.valueOf(http.port())).replace("{https}", String.valueOf(https.port()))
        .replace("{h2c}", String.valueOf(h2c.port()));
  }

  /** What {@code --check-config} does with the value: the bound config, or its problems. */
  private static SidecarConfig checkConfig(String targets) {
    Map<String, String> values = new HashMap<>(KnownSettings.defaults());
    values.put("shadowcar.primary.targets", targets);
    values.put("shadowcar.primary.tls.caFile", CA.writeCertificate(dir.resolve("ca.pem")).toString());
    values.put("shadowcar.proxy.host", "127.0.0.1");
    values.put("shadowcar.proxy.port", "0");
    return ConfigBinder.bind(ConfigSnapshot.of(values));
  }

  private static String serve(SidecarConfig config, String path) throws Exception {
    List<TargetUrl> urls = assertInstanceOf(TargetsSpec.Static.class, config.primaryTargets()).urls();
    ProxyServer proxy = ProxyServer.start(VERTX, config.proxy(), TargetSource.of(urls), TrafficTap.NONE,
        new SimpleMeterRegistry()).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    HttpClient client = VERTX.createHttpClient();
    try {
      return client.request(HttpMethod.GET, proxy.actualPort(), "127.0.0.1", path)
          .compose(request -> request.send()
              .compose(response -> response.body().map(body -> response.statusCode() + " " + body)))
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } finally {
      client.close();
      proxy.shutdown().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "http://127.0.0.1:{http}          | 200 http /x",
      "http://localhost:{http}/         | 200 http /x",
      "HTTP://127.0.0.1:{http}/base/    | 200 http /base/x",
      "https://localhost:{https}        | 200 https /x",
      "https://127.0.0.1:{https}/api    | 200 https /api/x",
      "h2c://127.0.0.1:{h2c}            | 200 HTTP_2 /x",
      "h2c://localhost:{h2c}/grpc       | 200 HTTP_2 /grpc/x",
      "127.0.0.1:{http}                 | refused",
      "ftp://127.0.0.1:{http}           | refused",
      "ws://127.0.0.1:{http}            | refused",
      "grpc://127.0.0.1:{h2c}           | refused",
      "http://user:secret@127.0.0.1:{http} | refused",
      "http://127.0.0.1:{http}/?q=1     | refused",
      "https://127.0.0.1:99999          | refused",
      "https://                         | refused"})
  void checkConfigAndTheRunningProxyAgree(String template, String expected) throws Exception {
    String value = fill(template);
    if (expected.equals("refused")) {
      InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> checkConfig(value));
      // a problem line never shows a password: the one in the user-info form is masked
      assertEquals(List.of("shadowcar.primary.targets: '" + value.replace(":secret@", ":******@") + "' (expected: comma list of http://, https:// or "
          + "h2c://host[:port][/prefix] base URLs, or eureka:VIPADDRESS)"),
          e.problems().stream().map(ConfigProblem::toString).toList());
      assertThrows(IllegalArgumentException.class, () -> TargetSource.parse(value), "the runtime's parser");
    } else {
      assertEquals(expected, serve(checkConfig(value), "/x"));
    }
  }
}
