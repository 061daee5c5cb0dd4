package io.shadowcar.proxy.tls;

import io.shadowcar.common.config.Setting;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The three keys of a listening port's TLS ({@code PREFIX.certFile}, {@code .keyFile}, {@code .pollSeconds}), declared
 * alike for every port that can serve HTTPS (the traffic port, the admin port); bound by {@link TlsBinding#server}.
 *
 * @param certFile PEM certificate chain, leaf first
 * @param keyFile its PEM private key
 * @param pollSeconds how often both files are re-read for a rotated pair
 */
public record ServerTlsSettings(Setting<Optional<Path>> certFile, Setting<Optional<Path>> keyFile,
    Setting<Integer> pollSeconds) {

  /**
   * @param prefix the keys' common prefix, e.g. {@code shadowcar.proxy.tls}
   * @param port the port they configure as the reference names it, e.g. {@code traffic port}
   */
  public static ServerTlsSettings of(String prefix, String port) {
    return new ServerTlsSettings(
        Setting.path(prefix + ".certFile", "PEM certificate chain of the " + port
            + "; set with keyFile to serve HTTPS (ALPN h2, http/1.1)"),
        Setting.path(prefix + ".keyFile", "PEM private key of the " + port
            + "'s certificate (PKCS#8, PKCS#1 RSA or SEC1 EC, unencrypted)"),
        Setting.intIn(prefix + ".pollSeconds", String.valueOf(ServerTls.DEFAULT_POLL_SECONDS), 1, 3600,
            "seconds 1-3600", "how often the " + port
                + "'s certificate and key files are re-read; a changed valid pair serves new connections"));
  }

  /** The three, for a module's {@code all()}. */
  public List<Setting<?>> all() {
    return List.of(certFile, keyFile, pollSeconds);
  }
}
