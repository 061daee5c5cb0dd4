package io.shadowcar.proxy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shadowcar.proxy.tap.TrafficTap;
import io.shadowcar.proxy.tls.CertificateReloader;
import io.shadowcar.proxy.tls.ServerTls;
import io.shadowcar.proxy.tls.UpstreamTls;
import io.shadowcar.proxy.upstream.TargetSource;
import io.shadowcar.testkit.LeakDetectionExtension;
import io.shadowcar.testkit.backend.RecordingBackend;
import io.shadowcar.testkit.backend.RecordingBackend.Responder;
import io.shadowcar.testkit.tls.TestCertificates;
import io.shadowcar.testkit.tls.TlsProbe;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemTrustOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** TLS on the traffic port: real handshakes by clients that verify the chain and the host, and rotation. */
@ExtendWith(LeakDetectionExtension.class)
class TlsTrafficPortTest {

  private final ProxyHarness harness = new ProxyHarness();
  private final TestCertificates ca = TestCertificates.authority("shadowcar test CA");
  private RecordingBackend backend;
  @TempDir Path dir;

  @AfterEach
  void tearDown() {
    harness.close();
  }

  private Path certFile() {
    return dir.resolve("tls.crt");
  }

  private Path keyFile() {
    return dir.resolve("tls.key");
  }

  /** Serves {@code certificate} (files re-read every second) in front of a recording backend. */
  private void start(TestCertificates.Issued certificate) {
    certificate.write(certFile(), keyFile());
    backend = RecordingBackend.start(harness.vertx, Responder.ok());
    ServerTls tls = new ServerTls(certFile(), keyFile(), 1);
    harness.start(ProxyHarness.config().withTls(Optional.of(tls), UpstreamTls.defaults()),
        TargetSource.parse(backend.uri().toString()), TrafficTap.NONE);
  }

  @ParameterizedTest
  @EnumSource(value = HttpVersion.class, names = {"HTTP_1_1", "HTTP_2"})
  void servesHttp11AndHttp2AsAlpnChoosesToAClientThatVerifiesTheChainAndHost(HttpVersion version) {
    start(ca.issue("localhost", "127.0.0.1"));
    HttpClient client = harness.vertx.createHttpClient(new HttpClientOptions().setSsl(true).setUseAlpn(true)
        .setProtocolVersion(version).setVerifyHost(true)
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(ca.certificatePem()))));

    String answer = ProxyHarness.await(client.request(HttpMethod.GET, harness.port(), "127.0.0.1", "/hello")
        .compose(r -> r.send()
            .compose(resp -> resp.body().map(b -> resp.version() + " " + resp.statusCode() + " " + b))));

    assertEquals(version + " 200 ok", answer);
    assertEquals("/hello", backend.single().uri());
  }

  @Test
  void theStrictDecoderGuardsHttp11OverTls() throws Exception {
    start(ca.issue("127.0.0.1"));
    try (SSLSocket socket = connect()) {
      socket.getOutputStream().write(("POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      String answer = readAll(socket.getInputStream());
      assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
    }
    assertEquals(1, harness.rejected("content_length_and_transfer_encoding"));
    assertEquals(List.of(), backend.requests(), "nothing reaches the primary");
  }

  @Test
  void refusesCbcSuitesAndKeepsTls12AndTls13() throws Exception {
    start(ca.issue("127.0.0.1"));
    try (SSLSocket weak = (SSLSocket) trustingContext().getSocketFactory().createSocket("127.0.0.1", harness.port())) {
      weak.setEnabledProtocols(new String[] {"TLSv1.2"});
      weak.setEnabledCipherSuites(new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"});
      assertThrows(SSLException.class, weak::startHandshake);
    }
    for (String protocol : List.of("TLSv1.2", "TLSv1.3")) {
      try (SSLSocket socket = (SSLSocket) trustingContext().getSocketFactory().createSocket("127.0.0.1",
          harness.port())) {
        socket.setEnabledProtocols(new String[] {protocol});
        socket.startHandshake();
        assertEquals(protocol, socket.getSession().getProtocol());
      }
    }
  }

  @Test
  void aRotatedCertificateServesNewConnectionsWhileOpenOnesFinish() throws Exception {
    TestCertificates.Issued first = ca.issue("127.0.0.1");
    start(first);
    try (SSLSocket open = connect()) {
      assertEquals(serial(first), peerSerial(open));
      assertTrue(exchange(open).startsWith("HTTP/1.1 200 "));

      TestCertificates.Issued second = ca.issue("127.0.0.1");
      second.write(certFile(), keyFile());
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        try (SSLSocket fresh = connect()) {
          return peerSerial(fresh).equals(serial(second));
        }
      });

      assertTrue(exchange(open).startsWith("HTTP/1.1 200 "), "the open connection is still served");
      assertEquals(serial(first), peerSerial(open), "with the certificate it was handshaken with");
    }
    assertEquals(1.0, reloads("applied"));
    assertEquals(2, backend.requests().size(), "both requests of the open connection reached the primary");
  }

  @Test
  void aPairThatDoesNotMatchIsNotServed() throws Exception {
    TestCertificates.Issued first = ca.issue("127.0.0.1");
    start(first);
    TestCertificates.Issued second = ca.issue("127.0.0.1");
    TestCertificates.Issued third = ca.issue("127.0.0.1");
    second.write(certFile(), dir.resolve("unused.crt"));
    third.write(dir.resolve("unused.crt"), keyFile());

    await().atMost(Duration.ofSeconds(30)).until(() -> reloads("failed") >= 1);

    try (SSLSocket fresh = connect()) {
      assertEquals(serial(first), peerSerial(fresh));
    }
    assertEquals(0.0, reloads("applied"));
  }

  private double reloads(String result) {
    return harness.registry.get(CertificateReloader.RELOADS).tag("listener", "traffic").tag("result", result)
        .counter().count();
  }

  private static BigInteger serial(TestCertificates.Issued issued) {
    return issued.certificate().getSerialNumber();
  }

  private static BigInteger peerSerial(SSLSocket socket) throws IOException {
    return TlsProbe.peerSerial(socket);
  }

  /** A client that trusts only the test CA and checks that the certificate names 127.0.0.1. */
  private SSLSocket connect() throws Exception {
    return TlsProbe.connect(ca, "127.0.0.1", harness.port());
  }

  private SSLContext trustingContext() {
    return TlsProbe.trusting(ca);
  }

  /** One keep-alive GET on an open connection; the response head and its 2-byte body. */
  private static String exchange(SSLSocket socket) throws IOException {
    socket.getOutputStream().write("GET /x HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream read = new ByteArrayOutputStream();
    while (!read.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\nok")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed after: " + read.toString(StandardCharsets.US_ASCII));
      }
      read.write(b);
    }
    return read.toString(StandardCharsets.US_ASCII);
  }

  private static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream read = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    int n;
    try {
      while ((n = in.read(buf)) > 0) {
        read.write(buf, 0, n);
      }
    } catch (SSLException closed) {
      // the proxy closed the connection after its answer
    }
    return read.toString(StandardCharsets.US_ASCII);
  }
}
