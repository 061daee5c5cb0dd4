package io.shadowcar.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.shadowcar.proxy.tap.TrafficTap;
import io.shadowcar.proxy.tls.UpstreamTls;
import io.shadowcar.proxy.upstream.TargetSource;
import io.shadowcar.testkit.LeakDetectionExtension;
import io.shadowcar.testkit.LogCapture;
import io.shadowcar.testkit.backend.RecordingBackend;
import io.shadowcar.testkit.backend.RecordingBackend.Responder;
import io.shadowcar.testkit.tls.TestCertificates;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code https://} and {@code h2c://} primaries: real TLS handshakes against real servers with test certificates. */
@ExtendWith(LeakDetectionExtension.class)
class TlsUpstreamTest {

  private final ProxyHarness harness = new ProxyHarness();
  private final TestCertificates ca = TestCertificates.authority("shadowcar test CA");
  @TempDir Path dir;

  @AfterEach
  void tearDown() {
    harness.close();
  }

  private Path caFile() {
    return ca.writeCertificate(dir.resolve("ca.pem"));
  }

  private void start(UpstreamTls tls, String target) {
    harness.start(ProxyHarness.config().withTls(Optional.empty(), tls), TargetSource.parse(target), TrafficTap.NONE);
  }

  private record Answer(int status, String body) {}

  private Answer get(String path) {
    return send(HttpMethod.GET, path, "");
  }

  private Answer send(HttpMethod method, String path, String body) {
    return ProxyHarness.await(harness.client.request(method, path)
        .compose(r -> r.send(body).compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), b.toString())))));
  }

  @Test
  void forwardsToAnHttpsPrimaryTrustedThroughTheCaFileOverKeptAliveConnections() {
    RecordingBackend backend = RecordingBackend.startTls(harness.vertx, ca.issue("localhost", "127.0.0.1"),
        Responder.ok());
    start(new UpstreamTls(Optional.of(caFile()), true), "https://127.0.0.1:" + backend.port() + "/base");

    for (int i = 0; i < 3; i++) {
      assertEquals(new Answer(200, "ok"), get("/hello?x=" + i));
    }

    assertEquals("/base/hello?x=0", backend.requests().get(0).uri());
    assertNull(backend.requests().get(0).serverName(), "no SNI for an IP literal");
    // two event loops, each with its own pool: at most one connection each for sequential requests
    assertTrue(backend.connections() <= 2, "connections: " + backend.connections());
  }

  /**
   * An HTTPS primary's chunked body reaches an HTTP/1.1 caller as it comes (its chunks go to the caller directly, those
   * of one read together): the primary sends the rest only when the caller has the first chunk. The caller reads the
   * wire itself, as in ForwardingTest, where Vert.x's client is shown to drop a chunk now and then.
   */
  @Test
  void anHttpsPrimarysChunkedBodyReachesTheCallerAsItComes() {
    Promise<Void> callerHasFirstChunk = Promise.promise();
    RecordingBackend backend = RecordingBackend.startTls(harness.vertx, ca.issue("localhost", "127.0.0.1"),
        List.of(HttpVersion.HTTP_1_1), (request, response) -> {
          response.setChunked(true).write("first chunk");
          callerHasFirstChunk.future().onComplete(ignored -> response.end(", then the rest"));
        });
    start(new UpstreamTls(Optional.of(caFile()), true), "https://127.0.0.1:" + backend.port());
    try (RawCaller caller = new RawCaller(harness.port())) {
      caller.send("GET /stream HTTP/1.1\r\nHost: a\r\n\r\n");
      String head = caller.readHead();
      assertTrue(head.startsWith("HTTP/1.1 200"), head);
      assertEquals("first chunk", caller.readChunks("first chunk".length()));
      callerHasFirstChunk.complete();
      assertEquals(", then the rest", caller.readChunks(Integer.MAX_VALUE));
    }
  }

  @Test
  void sendsTheHostAsSniEvenForASingleLabelNameAndChecksTheCertificateNamesIt() {
    // The JDK sends SNI only for names with a dot; the proxy sends it for every name (the single label here).
    String host = "localhost";
    RecordingBackend backend = RecordingBackend.startTls(harness.vertx, ca.issue(host), Responder.ok());
    start(new UpstreamTls(Optional.of(caFile()), true), "https://" + host + ":" + backend.port());

    assertEquals(200, get("/").status());

    assertEquals(host, backend.single().serverName());
  }

  @Test
  void answers502CountsAndLogsWhenTheCertificateNamesAnotherHost() {
    try (LogCapture log = LogCapture.of(UpstreamFailure.class, Level.WARN)) {
      RecordingBackend backend = RecordingBackend.startTls(harness.vertx, ca.issue("other.example"), Responder.ok());
      start(new UpstreamTls(Optional.of(caFile()), true), "https://127.0.0.1:" + backend.port());

      assertEquals(new Answer(502, "primary TLS handshake failed\n"), get("/"));

      assertEquals(1, harness.errors(ProxyError.TLS));
      assertEquals(0, harness.errors(ProxyError.REFUSED));
      assertEquals(0, backend.requests().size());
      String line = log.messages().get(0);
      assertTrue(line.startsWith("TLS to primary https://127.0.0.1:" + backend.port() + " failed, answered 502: "),
          line);
      assertTrue(line.contains("No subject alternative names matching IP address 127.0.0.1"), line);
    }
  }

  @Test
  void withoutHostnameVerificationAWrongNameIsAcceptedButTheChainStillChecked() {
    RecordingBackend wrongName = RecordingBackend.startTls(harness.vertx, ca.issue("other.example"), Responder.ok());
    RecordingBackend otherCa = RecordingBackend.startTls(harness.vertx,
        TestCertificates.authority("someone else").issue("127.0.0.1"), Responder.ok());
    start(new UpstreamTls(Optional.of(caFile()), false),
        "https://127.0.0.1:" + wrongName.port());
    assertEquals(200, get("/").status());
    ProxyHarness.await(harness.proxy.shutdown());

    start(new UpstreamTls(Optional.of(caFile()), false), "https://127.0.0.1:" + otherCa.port());
    assertEquals(502, get("/").status());
    assertEquals(1, harness.errors(ProxyError.TLS));
  }

  @Test
  void theJvmTrustStoreDoesNotTrustAPrivateCa() {
    RecordingBackend backend = RecordingBackend.startTls(harness.vertx, ca.issue("127.0.0.1"), Responder.ok());
    start(UpstreamTls.defaults(), "https://127.0.0.1:" + backend.port());

    assertEquals(502, get("/").status());
    assertEquals(1, harness.errors(ProxyError.TLS));
  }

  @Test
  void speaksHttp2WithPriorKnowledgeToAnH2cPrimary() {
    RecordingBackend backend = RecordingBackend.start(harness.vertx, Responder.echo());
    start(UpstreamTls.defaults(), "h2c://127.0.0.1:" + backend.port());

    assertEquals(new Answer(200, "hello"), send(HttpMethod.POST, "/echo", "hello"));
    assertEquals(HttpVersion.HTTP_2, backend.single().version());
  }
}
