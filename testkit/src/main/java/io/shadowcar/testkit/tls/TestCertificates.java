package io.shadowcar.testkit.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway certificate authority for TLS tests: issues server certificates (EC P-256) for the names and addresses
 * a test needs, as PEM, so tests run real handshakes with chain and hostname verification. Test scope only: the keys
 * are generated in memory and never meant to protect anything.
 *
 * <pre>{@code
 * TestCertificates ca = TestCertificates.authority("test CA");
 * TestCertificates.Issued server = ca.issue("localhost", "127.0.0.1");
 * server.write(dir.resolve("tls.crt"), dir.resolve("tls.key"));
 * Files.writeString(dir.resolve("ca.pem"), ca.certificatePem());
 * }</pre>
 */
public final class TestCertificates {

  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());
  private static final Duration VALIDITY = Duration.ofDays(2);

  private final X500Name name;
  private final KeyPair keys;
  private final X509Certificate certificate;

  private TestCertificates(X500Name name, KeyPair keys, X509Certificate certificate) {
    this.name = name;
    this.keys = keys;
    this.certificate = certificate;
  }

  /** A new self-signed CA named {@code CN=commonName}. */
  public static TestCertificates authority(String commonName) {
    X500Name name = new X500Name("CN=" + commonName);
    KeyPair keys = newKeys();
    X509Certificate cert = sign(name, keys, name, keys, builder -> {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    });
    return new TestCertificates(name, keys, cert);
  }

  /**
   * A server certificate signed by this CA, valid for {@code names}: each one an IP literal (an IP SAN) or a DNS name
   * (a DNS SAN). The first name is also the subject's CN.
   */
  public Issued issue(String... names) {
    return issue(newKeys(), names);
  }

  /** Like {@link #issue} with an RSA 2048 key (cert-manager's default), for key-format tests. */
  public Issued issueRsa(String... names) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return issue(generator.generateKeyPair(), names);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private Issued issue(KeyPair leafKeys, String... names) {
    X500Name subject = new X500Name("CN=" + names[0]);
    List<GeneralName> sans = new ArrayList<>();
    for (String n : names) {
      sans.add(isIp(n) ? new GeneralName(GeneralName.iPAddress, n) : new GeneralName(GeneralName.dNSName, n));
    }
    X509Certificate cert = sign(subject, leafKeys, name, keys, builder -> {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      builder.addExtension(Extension.subjectAlternativeName, false,
          new GeneralNames(sans.toArray(GeneralName[]::new)));
    });
    return new Issued(cert, leafKeys);
  }

  /** This CA's certificate. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** This CA's certificate as PEM, for a trust bundle. */
  public String certificatePem() {
    return pem("CERTIFICATE", encoded(certificate));
  }

  /** Writes {@link #certificatePem()} to {@code file} and returns it. */
  public Path writeCertificate(Path file) {
    return TestCertificates.write(file, certificatePem());
  }

  /**
   * A server certificate and its key.
   *
   * @param certificate the leaf certificate
   * @param keys its key pair
   */
  public record Issued(X509Certificate certificate, KeyPair keys) {

    /** The certificate as PEM. */
    public String certificatePem() {
      return pem("CERTIFICATE", encoded(certificate));
    }

    /** The private key as PKCS#8 PEM ({@code BEGIN PRIVATE KEY}). */
    public String keyPem() {
      return pem("PRIVATE KEY", keys.getPrivate().getEncoded());
    }

    /**
     * The private key in its algorithm's own format, as OpenSSL and cert-manager write it by default: PKCS#1
     * ({@code BEGIN RSA PRIVATE KEY}) or SEC1 ({@code BEGIN EC PRIVATE KEY}).
     */
    public String traditionalKeyPem() {
      try {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
        if (keys.getPrivate().getAlgorithm().equals("EC")) {
          // SEC1 as OpenSSL writes it: with the curve's name, which PKCS#8 keeps outside the inner key
          ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
          return pem("EC PRIVATE KEY", new ECPrivateKey(256, inner.getKey(),
              info.getPrivateKeyAlgorithm().getParameters()).getEncoded());
        }
        return pem("RSA PRIVATE KEY", info.parsePrivateKey().toASN1Primitive().getEncoded());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /**
     * Writes the certificate and key, each replacing its file in one atomic move (as a Kubernetes secret volume
     * swaps its files), so a reader never sees half a file.
     */
    public void write(Path certFile, Path keyFile) {
      TestCertificates.write(certFile, certificatePem());
      TestCertificates.write(keyFile, keyPem());
    }
  }

  private interface Extensions {
    void add(X509v3CertificateBuilder builder) throws IOException;
  }

  private static X509Certificate sign(X500Name subject, KeyPair subjectKeys, X500Name issuer, KeyPair issuerKeys,
      Extensions extensions) {
    Instant now = Instant.now();
    try {
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
          Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject, subjectKeys.getPublic());
      extensions.add(builder);
      return new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot issue a test certificate", e);
    }
  }

  private static KeyPair newKeys() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean isIp(String name) {
    return name.contains(":") || name.chars().allMatch(c -> c == '.' || Character.isDigit(c));
  }

  private static byte[] encoded(X509Certificate cert) {
    try {
      return cert.getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static Path write(Path file, String content) {
    try {
      Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), ".tmp-", ".pem");
      Files.writeString(temp, content, StandardCharsets.US_ASCII);
      return Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
