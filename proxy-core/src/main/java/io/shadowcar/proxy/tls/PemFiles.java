package io.shadowcar.proxy.tls;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.impl.KeyStoreHelper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;

/**
 * Reads and checks PEM files (blocking: call it off the event loops). Used by config validation, so that
 * {@code --check-config} finds a bad file, and by the certificate reloader before it swaps a pair in.
 */
public final class PemFiles {

  private PemFiles() {}

  /**
   * A certificate chain and its private key, checked to belong together.
   *
   * @param cert the chain as read (leaf first)
   * @param key the private key as read (PKCS#8, PKCS#1 RSA or SEC1 EC)
   * @param leaf the first certificate of the chain
   */
  public record KeyCertPair(Buffer cert, Buffer key, X509Certificate leaf) {

    /** Vert.x key material for these bytes. */
    public PemKeyCertOptions options() {
      return new PemKeyCertOptions().setCertValue(cert).setKeyValue(key);
    }

    /** Whether {@code other} holds the same bytes. */
    public boolean sameBytes(Buffer otherCert, Buffer otherKey) {
      return cert.equals(otherCert) && key.equals(otherKey);
    }

    /** Subject and expiry, for the log. */
    public String describe() {
      return "subject '" + leaf.getSubjectX500Principal().getName() + "', valid until " + leaf.getNotAfter().toInstant();
    }
  }

  /** Reads both files and checks them; {@link IllegalArgumentException} saying what is wrong. */
  public static KeyCertPair readPair(Path certFile, Path keyFile) {
    return pair(read(certFile), read(keyFile), certFile, keyFile);
  }

  /**
   * Checks that {@code cert} is a PEM chain and {@code key} the private key of its first certificate.
   *
   * @throws IllegalArgumentException naming the files and the fault
   */
  public static KeyCertPair pair(Buffer cert, Buffer key, Path certFile, Path keyFile) {
    KeyStore store;
    try {
      store = new PemKeyCertOptions().setCertValue(cert).setKeyValue(key).loadKeyStore(null);
    } catch (Exception e) {
      throw new IllegalArgumentException("cannot read " + certFile + " / " + keyFile + " as PEM certificate and key: "
          + e.getMessage(), e);
    }
    try {
      String alias = store.aliases().nextElement();
      PrivateKey privateKey = (PrivateKey) store.getKey(alias, KeyStoreHelper.DUMMY_PASSWORD.toCharArray());
      Certificate[] chain = store.getCertificateChain(alias);
      X509Certificate leaf = (X509Certificate) chain[0];
      if (!matches(privateKey, leaf)) {
        throw new IllegalArgumentException(keyFile + " is not the private key of the certificate in " + certFile);
      }
      return new KeyCertPair(cert, key, leaf);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot check " + certFile + " / " + keyFile + ": " + e.getMessage(), e);
    }
  }

  /** Signs a probe with the key and verifies it with the certificate's public key. */
  private static boolean matches(PrivateKey key, X509Certificate cert) throws GeneralSecurityException {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> throw new GeneralSecurityException("unsupported key algorithm " + key.getAlgorithm());
    };
    byte[] probe = "shadowcar key check".getBytes(StandardCharsets.US_ASCII);
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(key);
    signer.update(probe);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(algorithm);
    try {
      verifier.initVerify(cert.getPublicKey());
    } catch (InvalidKeyException e) {
      return false; // e.g. an RSA key for an EC certificate
    }
    verifier.update(probe);
    return verifier.verify(signature);
  }

  /**
   * Checks a CA bundle: readable, and at least one PEM certificate.
   *
   * @return how many certificates it holds
   * @throws IllegalArgumentException naming the file and the fault
   */
  public static int caBundle(Path file) {
    Buffer bytes = read(file);
    try {
      Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(bytes.getBytes()));
      if (certs.isEmpty()) {
        throw new IllegalArgumentException(file + " holds no PEM certificate");
      }
      return certs.size();
    } catch (CertificateException e) {
      throw new IllegalArgumentException("cannot read " + file + " as PEM certificates: " + e.getMessage(), e);
    }
  }

  /** The file's bytes; {@link IllegalArgumentException} when it cannot be read. */
  public static Buffer read(Path file) {
    try {
      return Buffer.buffer(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e, e);
    }
  }
}
