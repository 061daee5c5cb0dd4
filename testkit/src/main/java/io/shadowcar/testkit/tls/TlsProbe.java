package io.shadowcar.testkit.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Client side of a TLS test: connections that trust only a {@link TestCertificates} CA and check that the certificate
 * names the host they dialled, as a careful HTTPS client does, so a test proves what such a client would accept.
 */
public final class TlsProbe {

  private TlsProbe() {}

  /** A TLS context that trusts {@code ca} and nothing else. */
  public static SSLContext trusting(TestCertificates ca) {
    try {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      trust.setCertificateEntry("ca", ca.certificate());
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a TLS context for the test CA", e);
    }
  }

  /** A JDK HTTP client that trusts {@code ca} only and verifies host names (its default). */
  public static HttpClient httpClient(TestCertificates ca) {
    return HttpClient.newBuilder().sslContext(trusting(ca)).build();
  }

  /**
   * A handshaken connection to {@code host:port} that trusts {@code ca} only and checks that the certificate names
   * {@code host}; reads time out after 10 s.
   */
  public static SSLSocket connect(TestCertificates ca, String host, int port) throws IOException {
    SSLSocket socket = (SSLSocket) trusting(ca).getSocketFactory().createSocket(host, port);
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    socket.setSSLParameters(parameters);
    socket.setSoTimeout(10_000);
    socket.startHandshake();
    return socket;
  }

  /** The serial number of the certificate the peer presented on {@code socket}. */
  public static BigInteger peerSerial(SSLSocket socket) throws IOException {
    return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
  }
}
