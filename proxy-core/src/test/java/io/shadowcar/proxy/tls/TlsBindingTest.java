package io.shadowcar.proxy.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shadowcar.common.config.ConfigProblem;
import io.shadowcar.common.config.ConfigView;
import io.shadowcar.proxy.ProxySettings;
import io.shadowcar.testkit.tls.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What {@code --check-config} finds in TLS files, and the key formats a certificate's key may come in. */
class TlsBindingTest {

  private final TestCertificates ca = TestCertificates.authority("binding CA");
  @TempDir Path dir;

  private static ConfigView view(Map<String, String> values) {
    return ConfigView.of(values);
  }

  private Optional<ServerTls> server(ConfigView in) {
    return TlsBinding.server(in, ProxySettings.TLS);
  }

  private static UpstreamTls upstream(ConfigView in) {
    return TlsBinding.upstream(in, ProxySettings.PRIMARY_TLS_CA_FILE, ProxySettings.PRIMARY_TLS_VERIFY_HOSTNAME,
        ProxySettings.PRIMARY_TLS_ALPN);
  }

  private Map<String, String> files(Path cert, Path key) {
    Map<String, String> values = new HashMap<>();
    values.put("shadowcar.proxy.tls.certFile", cert.toString());
    values.put("shadowcar.proxy.tls.keyFile", key.toString());
    return values;
  }

  @ParameterizedTest
  @ValueSource(strings = {"ec-pkcs8", "ec-sec1", "rsa-pkcs8", "rsa-pkcs1"})
  void readsTheKeyFormatsCertManagerAndOpensslWrite(String format) throws Exception {
    TestCertificates.Issued issued = format.startsWith("rsa") ? ca.issueRsa("localhost") : ca.issue("localhost");
    Path cert = Files.writeString(dir.resolve("tls.crt"), issued.certificatePem() + ca.certificatePem());
    String key = format.endsWith("pkcs8") ? issued.keyPem() : issued.traditionalKeyPem();
    Path keyFile = Files.writeString(dir.resolve("tls.key"), key);

    ConfigView in = view(files(cert, keyFile));
    assertEquals(Optional.of(new ServerTls(cert, keyFile, ServerTls.DEFAULT_POLL_SECONDS)), server(in));
    assertEquals(List.of(), in.problems());
    assertEquals(issued.certificate(), PemFiles.readPair(cert, keyFile).leaf());
  }

  @Test
  void aKeyOfAnotherCertificateIsReportedOnTheCertFile() {
    TestCertificates.Issued one = ca.issue("localhost");
    TestCertificates.Issued other = ca.issue("localhost");
    one.write(dir.resolve("tls.crt"), dir.resolve("unused.key"));
    other.write(dir.resolve("unused.crt"), dir.resolve("tls.key"));

    ConfigView in = view(files(dir.resolve("tls.crt"), dir.resolve("tls.key")));

    assertEquals(Optional.empty(), server(in));
    ConfigProblem problem = in.problems().get(0);
    assertEquals("shadowcar.proxy.tls.certFile", problem.key());
    assertTrue(problem.expected().endsWith(dir.resolve("tls.key") + " is not the private key of the certificate in "
        + dir.resolve("tls.crt") + ")"), problem.expected());
  }

  @Test
  void neitherFileIsPlainTcpAndOneAloneIsAProblem() {
    assertEquals(Optional.empty(), server(view(Map.of())));
    ConfigView half = view(Map.of("shadowcar.proxy.tls.certFile", "/etc/tls/tls.crt"));
    assertEquals(Optional.empty(), server(half));
    assertEquals("shadowcar.proxy.tls.keyFile: missing (expected: set together with shadowcar.proxy.tls.certFile "
        + "(a PEM file))", half.problems().get(0).toString());
  }

  @Test
  void aCaFileMustHoldAtLeastOneCertificate() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.pem"), "# nothing\n");
    Path bundle = Files.writeString(dir.resolve("ca.pem"), ca.certificatePem()
        + TestCertificates.authority("second").certificatePem());
    assertEquals(2, PemFiles.caBundle(bundle));

    ConfigView in = view(Map.of("shadowcar.primary.tls.caFile", empty.toString()));
    UpstreamTls tls = upstream(in);

    assertEquals(new UpstreamTls(Optional.of(empty), true), tls);
    assertEquals("shadowcar.primary.tls.caFile", in.problems().get(0).key());
    assertTrue(in.problems().get(0).expected().startsWith("a readable PEM file of CA certificates (cannot read "
        + empty + " as PEM certificates: "), in.problems().toString());
    assertThrows(IllegalArgumentException.class, () -> PemFiles.caBundle(dir.resolve("missing.pem")));
    Path zeroBytes = Files.writeString(dir.resolve("zero.pem"), "");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PemFiles.caBundle(zeroBytes));
    assertTrue(e.getMessage().startsWith("cannot read " + zeroBytes) || e.getMessage().endsWith("holds no PEM "
        + "certificate"), e.getMessage());
  }

  @Test
  void alpnIsHttp11ByDefaultAndOffersH2OnlyWhenAsked() {
    assertEquals(UpstreamAlpn.HTTP_1_1, upstream(view(Map.of())).alpn());
    assertEquals(UpstreamAlpn.H2_HTTP_1_1, upstream(view(Map.of("shadowcar.primary.tls.alpn", "h2, http/1.1"))).alpn());
    assertEquals(UpstreamAlpn.HTTP_1_1, upstream(view(Map.of("shadowcar.primary.tls.alpn", "HTTP/1.1"))).alpn());

    for (String refused : List.of("h2", "http/1.1,h2", "h3,h2,http/1.1", "spdy/3")) {
      ConfigView in = view(Map.of("shadowcar.primary.tls.alpn", refused));
      upstream(in);
      assertEquals("shadowcar.primary.tls.alpn: '" + refused + "' (expected: http/1.1 or h2,http/1.1)",
          in.problems().get(0).toString());
    }
  }
}
