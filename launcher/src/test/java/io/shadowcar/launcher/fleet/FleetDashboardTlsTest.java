package io.shadowcar.launcher.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shadowcar.dashboard.DashboardConfig;
import io.shadowcar.diff.DiffConfig;
import io.shadowcar.proxy.tls.ServerTls;
import io.shadowcar.testkit.tls.TestCertificates;
import io.shadowcar.testkit.tls.TlsProbe;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code diff-dashboard} command's port takes the admin port's TLS keys from its {@code --config} file. No Kafka
 * here: the dashboard serves before it reads its first result, and the page and API are what is checked.
 */
class FleetDashboardTlsTest {

  private final Vertx vertx = Vertx.vertx();
  private final TestCertificates ca = TestCertificates.authority("dashboard test CA");
  @TempDir Path dir;

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void servesThePageAndApiOverHttpsToAClientThatVerifiesTheChain() throws Exception {
    ca.issue("127.0.0.1").write(dir.resolve("tls.crt"), dir.resolve("tls.key"));
    DashboardOptions options = new DashboardOptions("127.0.0.1:1", "results", "dashboard", dir.resolve("data"),
        "127.0.0.1", 0, 1_000, Optional.empty(), false);
    FleetDashboard dashboard = FleetDashboard.start(options, DiffConfig.defaults(), DashboardConfig.defaults(),
        List.of(), Optional.of(new ServerTls(dir.resolve("tls.crt"), dir.resolve("tls.key"), 60)), vertx);
    try {
      for (String path : List.of("/api/diff/endpoints", "/metrics")) {
        HttpResponse<String> answer = TlsProbe.httpClient(ca).send(HttpRequest.newBuilder(
            URI.create("https://127.0.0.1:" + dashboard.port() + path)).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), path + ": " + answer.body());
        if (path.equals("/metrics")) {
          assertTrue(answer.body().contains("shadowcar_tls_certificate_expiry_seconds{listener=\"admin\"}"),
              answer.body());
        }
      }
    } finally {
      dashboard.close();
    }
  }

  @Test
  void theCommandRefusesACertificateWithoutItsKeyInOneLine() throws Exception {
    Path config = Files.writeString(dir.resolve("dashboard.properties"),
        "shadowcar.admin.tls.certFile=" + dir.resolve("tls.crt") + "\n");
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int exit = DiffDashboardCommand.run(new String[] {"--bootstrap", "127.0.0.1:1", "--results-topic", "results",
        "--config", config.toString()}, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true,
        StandardCharsets.UTF_8));

    assertEquals(DiffWorkerCommand.FAILED, exit);
    assertEquals("invalid config: shadowcar.admin.tls.keyFile: missing (expected: set together with "
        + "shadowcar.admin.tls.certFile (a PEM file))\n", err.toString(StandardCharsets.UTF_8));
  }
}
