package io.shadowcar.proxy;

import static io.shadowcar.proxy.ProxyHarness.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shadowcar.proxy.tap.TrafficTap;
import io.shadowcar.proxy.tls.UpstreamAlpn;
import io.shadowcar.proxy.tls.UpstreamTls;
import io.shadowcar.proxy.upstream.TargetSource;
import io.shadowcar.testkit.LeakDetectionExtension;
import io.shadowcar.testkit.backend.RecordingBackend;
import io.shadowcar.testkit.backend.RecordingBackend.Responder;
import io.shadowcar.testkit.tls.TestCertificates;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code shadowcar.primary.tls.alpn}: which HTTP version ordinary requests speak to an {@code https://} primary, against
 * real HTTPS servers that pick h2 when offered, or only ever speak HTTP/1.1.
 */
@ExtendWith(LeakDetectionExtension.class)
class TlsUpstreamAlpnTest {

  private final ProxyHarness harness = new ProxyHarness();
  private final TestCertificates ca = TestCertificates.authority("alpn test CA");
  private final TestCertificates.Issued certificate = ca.issue("127.0.0.1");
  @TempDir Path dir;

  @AfterEach
  void tearDown() {
    harness.close();
  }

  private void start(UpstreamAlpn alpn, int port) {
    UpstreamTls tls = new UpstreamTls(Optional.of(ca.writeCertificate(dir.resolve("ca.pem"))), true, alpn);
    harness.start(ProxyHarness.config().withTls(Optional.empty(), tls),
        TargetSource.parse("https://127.0.0.1:" + port), TrafficTap.NONE);
  }

  private String get(String path) {
    return await(harness.client.request(HttpMethod.GET, path)
        .compose(r -> r.send().compose(resp -> resp.body().map(b -> resp.statusCode() + " " + b))));
  }

  @ParameterizedTest
  @EnumSource(UpstreamAlpn.class)
  void speaksHttp2ToAnHttpsPrimaryThatPicksH2OnlyWhenTheOptionOffersIt(UpstreamAlpn alpn) {
    RecordingBackend primary = RecordingBackend.startTls(harness.vertx, certificate, Responder.ok());
    start(alpn, primary.port());

    assertEquals("200 ok", get("/a"));
    assertEquals("200 ok", get("/b"));

    HttpVersion expected = alpn.offersH2() ? HttpVersion.HTTP_2 : HttpVersion.HTTP_1_1;
    assertEquals(List.of(expected, expected), primary.requests().stream().map(r -> r.version()).toList());
  }

  /** Vert.x falls back on the same handshake: to a server that answers ALPN with http/1.1, or not at all. */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void fallsBackToHttp11WhenTheServerDoesNotPickH2(boolean serverAnswersAlpn) {
    RecordingBackend primary = RecordingBackend.startTls(harness.vertx, certificate,
        serverAnswersAlpn ? List.of(HttpVersion.HTTP_1_1) : List.of(), Responder.echo());
    start(UpstreamAlpn.H2_HTTP_1_1, primary.port());

    for (int i = 0; i < 3; i++) {
      String body = "body-" + i;
      assertEquals("200 " + body, await(harness.client.request(HttpMethod.POST, "/echo")
          .compose(r -> r.send(body).compose(resp -> resp.body().map(b -> resp.statusCode() + " " + b)))));
    }

    assertEquals(List.of(HttpVersion.HTTP_1_1, HttpVersion.HTTP_1_1, HttpVersion.HTTP_1_1),
        primary.requests().stream().map(r -> r.version()).toList());
  }

  @Test
  void aLargeBodyAndTheResponseTrailersCrossAnH2PrimaryIntact() {
    byte[] upload = new byte[3 << 20]; // far beyond HTTP/2's initial flow-control windows
    new Random(7).nextBytes(upload);
    RecordingBackend primary = RecordingBackend.startTls(harness.vertx, certificate, (request, response) -> {
      Buffer body = request.body();
      response.setChunked(true).putHeader("content-type", "application/octet-stream");
      response.write(body.slice(0, body.length() / 2));
      response.trailers().add("x-digest", "len=" + body.length());
      response.end(body.slice(body.length() / 2, body.length()));
    });
    start(UpstreamAlpn.H2_HTTP_1_1, primary.port());

    for (HttpClient caller : List.of(harness.client, harness.h2cClient())) {
      String[] trailer = new String[1];
      Buffer answer = await(caller.request(HttpMethod.POST, "/upload")
          .compose(r -> r.send(Buffer.buffer(upload)).compose(resp -> resp.body().map(b -> {
            trailer[0] = resp.trailers().get("x-digest");
            return b;
          }))));
      assertArrayEquals(upload, answer.getBytes());
      assertEquals("len=" + upload.length, trailer[0]);
    }
    assertEquals(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_2),
        primary.requests().stream().map(r -> r.version()).toList());
  }

  /**
   * The handshake goes on a raw socket (a real WebSocket handshake and frame, written out) so the test controls every
   * byte the caller sends and sees.
   */
  @ParameterizedTest
  @EnumSource(UpstreamAlpn.class)
  void aWebSocketUpgradeGoesOverHttp11WhetherOrNotH2IsOffered(UpstreamAlpn alpn) throws Exception {
    List<HttpVersion> upgradeVersions = new CopyOnWriteArrayList<>();
    HttpServer primary = harness.vertx.createHttpServer(new HttpServerOptions().setSsl(true).setUseAlpn(true)
            .setKeyCertOptions(new PemKeyCertOptions().setCertValue(Buffer.buffer(certificate.certificatePem()))
                .setKeyValue(Buffer.buffer(certificate.keyPem()))))
        .requestHandler(request -> {
          upgradeVersions.add(request.version());
          request.toWebSocket().onSuccess(socket -> socket.textMessageHandler(socket::writeTextMessage));
        });
    await(primary.listen(0, "127.0.0.1"));
    start(alpn, primary.actualPort());

    try (Socket caller = new Socket("127.0.0.1", harness.port())) {
      caller.setSoTimeout(10_000);
      OutputStream out = caller.getOutputStream();
      out.write(("GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
          + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      DataInputStream in = new DataInputStream(caller.getInputStream());
      String head = readHead(in);
      assertTrue(head.startsWith("HTTP/1.1 101 "), head);
      assertTrue(head.contains("sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), head);

      byte[] text = "through the tunnel".getBytes(StandardCharsets.UTF_8);
      out.write(maskedTextFrame(text));
      assertEquals(0x81, in.readUnsignedByte(), "an unfragmented text frame back");
      byte[] echoed = new byte[in.readUnsignedByte()];
      in.readFully(echoed);
      assertArrayEquals(text, echoed);
    }
    assertEquals(List.of(HttpVersion.HTTP_1_1), upgradeVersions);
  }

  private static String readHead(DataInputStream in) throws Exception {
    StringBuilder head = new StringBuilder();
    while (head.indexOf("\r\n\r\n") < 0) {
      head.append((char) in.readUnsignedByte());
    }
    return head.toString();
  }

  /** A client's text frame: FIN, opcode 1, masked (RFC 6455 §5.3), for a payload under 126 bytes. */
  private static byte[] maskedTextFrame(byte[] payload) {
    byte[] mask = {0x11, 0x22, 0x33, 0x44};
    byte[] frame = new byte[6 + payload.length];
    frame[0] = (byte) 0x81;
    frame[1] = (byte) (0x80 | payload.length);
    System.arraycopy(mask, 0, frame, 2, 4);
    for (int i = 0; i < payload.length; i++) {
      frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
    }
    return frame;
  }
}
