package io.shadowcar.proxy.tls;

import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How shadowcar checks the certificates of {@code https://} upstreams (one per target list: the primary's, the
 * shadow's). Trust is the JVM's CAs, or only the CAs of a PEM bundle when {@code caFile} is given; the certificate
 * must name the target's host (hostname verification, as browsers do) unless {@code verifyHostname} is off. Read
 * when the clients are built: a changed bundle needs a restart.
 *
 * @param caFile PEM file of the CA certificates to trust instead of the JVM's; empty = the JVM's
 * @param verifyHostname whether the certificate must name the target's host; off only for certificates that do not
 *     (the chain is still verified)
 * @param alpn whether ordinary requests offer {@code h2} ({@link io.shadowcar.proxy.upstream.UpstreamClients})
 */
public record UpstreamTls(Optional<Path> caFile, boolean verifyHostname, UpstreamAlpn alpn) {

  public static final boolean DEFAULT_VERIFY_HOSTNAME = true;

  public UpstreamTls {
    Objects.requireNonNull(caFile, "caFile");
    Objects.requireNonNull(alpn, "alpn");
  }

  /** HTTP/1.1 to {@code https://} targets (no ALPN), as before ALPN could be chosen. */
  public UpstreamTls(Optional<Path> caFile, boolean verifyHostname) {
    this(caFile, verifyHostname, UpstreamAlpn.DEFAULT);
  }

  /** The JVM's CAs, hostname verification, HTTP/1.1. */
  public static UpstreamTls defaults() {
    return new UpstreamTls(Optional.empty(), DEFAULT_VERIFY_HOSTNAME);
  }

  /** The same trust, offering {@code newAlpn}. */
  public UpstreamTls withAlpn(UpstreamAlpn newAlpn) {
    return new UpstreamTls(caFile, verifyHostname, newAlpn);
  }

  /**
   * Turns {@code options} into a TLS client's options: this trust, hostname verification, the {@link ModernTls}
   * versions and suites.
   *
   * @param forceSni send the host as SNI even when the JDK would not (a single-label name such as {@code orders});
   *     never for an IP literal, which SNI may not carry
   */
  public HttpClientOptions apply(HttpClientOptions options, boolean forceSni) {
    options.setSsl(true)
        .setVerifyHost(verifyHostname)
        .setForceSni(forceSni)
        .setEnabledSecureTransportProtocols(ModernTls.PROTOCOLS);
    ModernTls.CIPHER_SUITES.forEach(options::addEnabledCipherSuite);
    caFile.ifPresent(file -> options.setTrustOptions(new PemTrustOptions().addCertPath(file.toString())));
    return options;
  }
}
