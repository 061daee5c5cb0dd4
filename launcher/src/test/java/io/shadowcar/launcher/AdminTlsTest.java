package io.shadowcar.launcher;

import static io.shadowcar.launcher.RawHttp.call;
import static io.shadowcar.launcher.RawHttp.status;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shadowcar.launcher.config.ConfigLoader;
import io.shadowcar.proxy.tls.CertificateReloader;
import io.shadowcar.testkit.tls.TestCertificates;
import io.shadowcar.testkit.tls.TlsProbe;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code shadowcar.admin.tls.*}: the sidecar in-process with HTTPS on its admin port, called by clients that verify the
 * chain and the host; rotation of the files; the health port stays plain HTTP for balancers.
 */
class AdminTlsTest {

  @TempDir Path dir;
  private final TestCertificates ca = TestCertificates.authority("admin test CA");
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private Sidecar sidecar;

  private Path certFile() {
    return dir.resolve("admin.crt");
  }

  private Path keyFile() {
    return dir.resolve("admin.key");
  }

  /** A sidecar on loopback whose admin port serves {@code certificate}, its files re-read every second. */
  private void start(TestCertificates.Issued certificate) throws Exception {
    certificate.write(certFile(), keyFile());
    Path config = Files.writeString(dir.resolve("sidecar.properties"), String.join("\n",
        "shadowcar.proxy.host=127.0.0.1", "shadowcar.proxy.port=0",
        "shadowcar.admin.host=127.0.0.1", "shadowcar.admin.port=0",
        "shadowcar.admin.tls.certFile=" + certFile(),
        "shadowcar.admin.tls.keyFile=" + keyFile(),
        "shadowcar.admin.tls.pollSeconds=1",
        "shadowcar.health.host=127.0.0.1", "shadowcar.health.port=0",
        "shadowcar.data.dir=" + dir.resolve("data"),
        "shadowcar.primary.targets=http://127.0.0.1:9", // never called: only the admin port is
        ""));
    sidecar = new Sidecar(ConfigLoader.load(Optional.of(config), registry), registry);
    sidecar.start();
  }

  @AfterEach
  void stop() {
    Optional.ofNullable(sidecar).ifPresent(Sidecar::stop);
  }

  private HttpResponse<String> get(HttpClient client, String host, String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("https://" + host + ":" + sidecar.adminPort() + path))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesTheAdminApiOverHttpsToAClientThatVerifiesTheChainAndTheHost() throws Exception {
    start(ca.issue("localhost", "127.0.0.1"));
    HttpClient verifying = TlsProbe.httpClient(ca);

    HttpResponse<String> status = get(verifying, "127.0.0.1", "/api/status");
    assertEquals(200, status.statusCode(), status.body());
    assertTrue(status.body().contains("\"outOfService\""), status.body());
    HttpResponse<String> metrics = get(verifying, "localhost", "/metrics");
    assertEquals(200, metrics.statusCode());
    assertTrue(metrics.body().contains("shadowcar_tls_certificate_expiry_seconds{listener=\"admin\"}"),
        metrics.body());

    assertThrows(SSLHandshakeException.class, () -> get(HttpClient.newHttpClient(), "127.0.0.1", "/api/status"),
        "the JVM's CAs do not vouch for the test CA's certificate");
  }

  @Test
  void plainHttpToTheAdminPortGetsNoAnswerWhileTheHealthPortStaysPlain() throws Exception {
    start(ca.issue("127.0.0.1"));

    String answer;
    try {
      answer = call(sidecar.adminPort(), "GET", "/api/status", "127.0.0.1");
    } catch (IllegalStateException reset) {
      answer = "";
    }
    assertFalse(answer.startsWith("HTTP/"), answer);

    assertEquals(200, status(call(sidecar.healthPort(), "GET", "/healthcheck", "127.0.0.1")));
  }

  @Test
  void aRotatedCertificateServesNewConnectionsWhileAnOpenOneKeepsItsOwn() throws Exception {
    TestCertificates.Issued first = ca.issue("127.0.0.1");
    start(first);
    try (SSLSocket open = TlsProbe.connect(ca, "127.0.0.1", sidecar.adminPort())) {
      assertEquals(serial(first), TlsProbe.peerSerial(open));

      TestCertificates.Issued second = ca.issue("127.0.0.1");
      second.write(certFile(), keyFile());
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        try (SSLSocket fresh = TlsProbe.connect(ca, "127.0.0.1", sidecar.adminPort())) {
          return TlsProbe.peerSerial(fresh).equals(serial(second));
        }
      });

      assertEquals(serial(first), TlsProbe.peerSerial(open));
      assertTrue(ready(open).startsWith("HTTP/1.1 200 "), "the open connection is still served");
    }
    assertEquals(1.0, registry.get(CertificateReloader.RELOADS).tag("listener", "admin").tag("result", "applied")
        .counter().count());
  }

  private static BigInteger serial(TestCertificates.Issued issued) {
    return issued.certificate().getSerialNumber();
  }

  /** The status line of {@code GET /ready} on an open connection. */
  private static String ready(SSLSocket socket) throws IOException {
    socket.getOutputStream().write("GET /ready HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
  }
}
