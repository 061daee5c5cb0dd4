package io.shadowcar.proxy.tls;

import static io.shadowcar.common.config.InvalidValueException.check;

import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.nio.file.Path;
import java.util.Objects;

/**
 * TLS on a listening port: a PEM certificate chain and key, re-read every {@code pollSeconds} so a rotated pair (as
 * cert-manager writes it) is served to new connections without a restart; open connections keep theirs. ALPN offers
 * {@code h2} and {@code http/1.1}; only the {@link ModernTls} versions and suites are accepted.
 *
 * @param certFile PEM certificate chain, leaf first
 * @param keyFile PEM private key of the leaf (PKCS#8, PKCS#1 RSA or SEC1 EC), unencrypted
 * @param pollSeconds how often both files are read again for a change
 */
public record ServerTls(Path certFile, Path keyFile, int pollSeconds) {

  public static final int DEFAULT_POLL_SECONDS = 5;

  public ServerTls {
    Objects.requireNonNull(certFile, "certFile");
    Objects.requireNonNull(keyFile, "keyFile");
    check(pollSeconds >= 1 && pollSeconds <= 3600, "pollSeconds", pollSeconds, ">= 1 and <= 3600");
  }

  /** Makes {@code options} a TLS server's with {@code pair}: ALPN h2 and http/1.1, modern versions and suites. */
  public static HttpServerOptions apply(HttpServerOptions options, PemFiles.KeyCertPair pair) {
    options.setSsl(true)
        .setUseAlpn(true)
        .setKeyCertOptions(pair.options())
        .setEnabledSecureTransportProtocols(ModernTls.PROTOCOLS);
    ModernTls.CIPHER_SUITES.forEach(options::addEnabledCipherSuite);
    return options;
  }

  /** The same settings as {@link #apply} for a running server's {@code updateSSLOptions}. */
  static ServerSSLOptions sslOptions(PemFiles.KeyCertPair pair) {
    ServerSSLOptions options = new ServerSSLOptions()
        .setUseAlpn(true)
        .setKeyCertOptions(pair.options())
        .setEnabledSecureTransportProtocols(ModernTls.PROTOCOLS);
    ModernTls.CIPHER_SUITES.forEach(options::addEnabledCipherSuite);
    return options;
  }
}
