package io.shadowcar.proxy.tls;

import io.shadowcar.common.config.ConfigProblem;
import io.shadowcar.common.config.ConfigView;
import io.shadowcar.common.config.Setting;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Binds a family of TLS keys to {@link UpstreamTls} or {@link ServerTls}. At a start and at {@code --check-config}
 * ({@link ConfigView#readsFiles()}) it reads the named PEM files, so a missing, unreadable or mismatched file is
 * reported on its key instead of the first connection failing; a dynamic change does not read them (the keys need
 * a restart, and a listening port's certificate files are watched on their own). Blocking file reads: bind off the
 * event loops, as the launcher does.
 */
public final class TlsBinding {

  private TlsBinding() {}

  /** {@code PREFIX.tls.caFile} / {@code .verifyHostname} / {@code .alpn} of a target list. */
  public static UpstreamTls upstream(ConfigView in, Setting<Optional<Path>> caFile, Setting<Boolean> verifyHostname,
      Setting<UpstreamAlpn> alpn) {
    Optional<Path> ca = in.get(caFile);
    boolean verify = in.get(verifyHostname);
    UpstreamAlpn offered = in.get(alpn);
    ca.filter(file -> in.readsFiles()).ifPresent(file -> {
      try {
        PemFiles.caBundle(file);
      } catch (IllegalArgumentException e) {
        in.problem(caFile.key(), "a readable PEM file of CA certificates (" + e.getMessage() + ")");
      }
    });
    return new UpstreamTls(ca, verify, offered);
  }

  /**
   * TLS of a listening port: both files or neither; a pair that does not check out ({@link PemFiles#readPair}) is
   * reported on {@code certFile}.
   *
   * @return empty when neither file is set (plain TCP), or after recording a problem
   */
  public static Optional<ServerTls> server(ConfigView in, ServerTlsSettings keys) {
    Setting<Optional<Path>> certFile = keys.certFile();
    Setting<Optional<Path>> keyFile = keys.keyFile();
    Optional<Path> cert = in.get(certFile);
    Optional<Path> key = in.get(keyFile);
    int poll = in.get(keys.pollSeconds());
    if (cert.isEmpty() && key.isEmpty()) {
      return Optional.empty();
    }
    if (cert.isEmpty() || key.isEmpty()) {
      Setting<Optional<Path>> missing = cert.isEmpty() ? certFile : keyFile;
      in.problem(new ConfigProblem(missing.key(), null, "set together with "
          + (cert.isEmpty() ? keyFile : certFile).key() + " (a PEM file)"));
      return Optional.empty();
    }
    if (in.readsFiles()) {
      try {
        PemFiles.readPair(cert.get(), key.get());
      } catch (IllegalArgumentException e) {
        in.problem(certFile.key(), "a PEM certificate chain whose key is " + keyFile.key() + " (" + e.getMessage()
            + ")");
        return Optional.empty();
      }
    }
    return Optional.of(new ServerTls(cert.get(), key.get(), poll));
  }
}
