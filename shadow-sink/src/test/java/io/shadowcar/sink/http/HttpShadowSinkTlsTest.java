package io.shadowcar.sink.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shadowcar.proxy.tls.UpstreamAlpn;
import io.shadowcar.proxy.tls.UpstreamTls;
import io.shadowcar.proxy.upstream.TargetSource;
import io.shadowcar.sink.TestSinks;
import io.shadowcar.sink.observe.CompletedExchange;
import io.shadowcar.tee.CapturedResponse;
import io.shadowcar.tee.TeeEvent;
import io.shadowcar.testkit.LeakDetectionExtension;
import io.shadowcar.testkit.SidecarTransport;
import io.shadowcar.testkit.backend.RecordingBackend;
import io.shadowcar.testkit.tls.TestCertificates;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Copies to {@code https://} and {@code h2c://} shadows and secondaries, over real TLS with a test CA. */
@ExtendWith(LeakDetectionExtension.class)
class HttpShadowSinkTlsTest {

  private final Vertx vertx = SidecarTransport.vertx();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final TestCertificates ca = TestCertificates.authority("shadow test CA");
  private final List<CompletedExchange> exchanges = new CopyOnWriteArrayList<>();
  private HttpShadowSink sink;
  @TempDir Path dir;

  @AfterEach
  void tearDown() throws Exception {
    if (sink != null) {
      sink.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private UpstreamTls trustingTheTestCa(boolean verifyHostname) {
    return new UpstreamTls(Optional.of(ca.writeCertificate(dir.resolve("ca.pem"))), verifyHostname);
  }

  private void send(UpstreamTls tls, String candidate, String secondary) {
    sink = new HttpShadowSink(HttpShadowSinkConfig.defaults().withTls(tls), TargetSource.parse(candidate),
        secondary == null ? TargetSource.parse() : TargetSource.parse(secondary),
        TestSinks.context(vertx, registry, exchanges::add));
    CapturedResponse primary = new CapturedResponse(200, List.of(), Buffer.buffer("p"), false, 1, Duration.ZERO);
    sink.send(new TeeEvent("rid-1", HttpMethod.GET, "/orders/1", "default", List.of(Map.entry("Host", "api")),
        Buffer.buffer(), Set.of("http"), Future.succeededFuture(primary), () -> {}));
    await().atMost(Duration.ofSeconds(20)).until(() -> exchanges.size() == 1);
  }

  @Test
  void copiesToAnHttpsCandidateAndSecondaryTrustedThroughTheCaFile() {
    RecordingBackend candidate = RecordingBackend.startTls(vertx, ca.issue("localhost"),
        (request, response) -> response.end("candidate"));
    RecordingBackend secondary = RecordingBackend.startTls(vertx, ca.issue("127.0.0.1"),
        (request, response) -> response.end("secondary"));

    send(trustingTheTestCa(true), "https://localhost:" + candidate.port() + "/v2",
        "https://127.0.0.1:" + secondary.port());

    CompletedExchange exchange = exchanges.get(0);
    assertEquals("candidate", exchange.candidate().orElseThrow().response().body().toString());
    assertEquals("secondary", exchange.secondary().orElseThrow().response().body().toString());
    assertEquals("/v2/orders/1", candidate.single().uri());
    assertEquals("localhost", candidate.single().serverName());
    assertEquals(HttpVersion.HTTP_1_1, candidate.single().version(), "no ALPN unless shadowcar.shadow.tls.alpn asks");
  }

  @Test
  void copiesOverHttp2ToAnHttpsCandidateAndSecondaryWhenAlpnOffersH2() {
    RecordingBackend candidate = RecordingBackend.startTls(vertx, ca.issue("localhost"),
        (request, response) -> response.end("candidate " + request.body()));
    RecordingBackend secondary = RecordingBackend.startTls(vertx, ca.issue("127.0.0.1"),
        List.of(HttpVersion.HTTP_1_1), (request, response) -> response.end("secondary"));

    send(trustingTheTestCa(true).withAlpn(UpstreamAlpn.H2_HTTP_1_1), "https://localhost:" + candidate.port(),
        "https://127.0.0.1:" + secondary.port());

    CompletedExchange exchange = exchanges.get(0);
    assertEquals("candidate ", exchange.candidate().orElseThrow().response().body().toString());
    assertEquals("secondary", exchange.secondary().orElseThrow().response().body().toString());
    assertEquals(HttpVersion.HTTP_2, candidate.single().version(), "the candidate picked h2");
    assertEquals("localhost", candidate.single().serverName());
    assertEquals(HttpVersion.HTTP_1_1, secondary.single().version(), "the secondary only speaks HTTP/1.1");
  }

  @Test
  void aCertificateForAnotherHostFailsTheCopyUnlessHostnamesAreNotChecked() {
    RecordingBackend shadow = RecordingBackend.startTls(vertx, ca.issue("other.example"),
        (request, response) -> response.end("shadow"));

    send(trustingTheTestCa(true), "https://127.0.0.1:" + shadow.port(), null);
    Throwable failure = exchanges.get(0).candidate().orElseThrow().failure();
    assertTrue(causedBy(failure, SSLException.class), String.valueOf(failure));
    assertEquals(0, shadow.requests().size());

    exchanges.clear();
    send(trustingTheTestCa(false), "https://127.0.0.1:" + shadow.port(), null);
    assertEquals("shadow", exchanges.get(0).candidate().orElseThrow().response().body().toString());
  }

  @Test
  void speaksHttp2WithPriorKnowledgeToAnH2cShadow() {
    RecordingBackend shadow = RecordingBackend.start(vertx, (request, response) -> response.end("h2c"));

    send(UpstreamTls.defaults(), "h2c://127.0.0.1:" + shadow.port(), null);

    assertEquals("h2c", exchanges.get(0).candidate().orElseThrow().response().body().toString());
    assertEquals(HttpVersion.HTTP_2, shadow.single().version());
  }

  private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
