package io.shadowcar.proxy.tls;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileSystem;
import io.vertx.core.http.HttpServer;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a rotated certificate without a restart: every {@link ServerTls#pollSeconds()} it reads the certificate and
 * key files, and when their bytes changed and the new pair checks out ({@link PemFiles#pair}), hands it to the
 * running server ({@code HttpServer.updateSSLOptions}). New connections get the new certificate; open connections
 * keep the one they were handshaken with and are not dropped. A pair that does not check out (half-written, key and
 * certificate from different rotations) is logged once and retried at the next poll; the last good pair stays.
 *
 * <p>Meters (tag {@code listener}): {@value #RELOADS} by {@code result} ({@code applied}, {@code failed}) and
 * {@value #EXPIRY}, the not-after time of the certificate in use (epoch seconds), for expiry alerts.
 */
public final class CertificateReloader {

  public static final String RELOADS = "shadowcar.tls.reloads";
  public static final String EXPIRY = "shadowcar.tls.certificate.expiry";

  private static final Logger LOG = LoggerFactory.getLogger(CertificateReloader.class);

  private final Vertx vertx;
  private final ServerTls tls;
  private final HttpServer server;
  private final String listener;
  private final Counter applied;
  private final Counter failed;
  private volatile PemFiles.KeyCertPair current;
  /** What the last failed attempt said, so an unchanged bad pair is neither logged nor counted at every poll. */
  private String lastProblem;
  private Buffer rejectedCert;
  private Buffer rejectedKey;
  private boolean polling;
  private final long timer;

  private CertificateReloader(Vertx vertx, ServerTls tls, PemFiles.KeyCertPair initial, HttpServer server,
      String listener, MeterRegistry registry) {
    this.vertx = vertx;
    this.tls = tls;
    this.server = server;
    this.listener = listener;
    this.current = initial;
    this.applied = counter(registry, listener, "applied");
    this.failed = counter(registry, listener, "failed");
    Gauge.builder(EXPIRY, this, r -> r.current.leaf().getNotAfter().getTime() / 1000.0)
        .description("Not-after time of the TLS certificate being served, epoch seconds")
        .baseUnit("seconds").tag("listener", listener).register(registry);
    this.timer = vertx.setPeriodic(tls.pollSeconds() * 1000L, id -> poll());
  }

  /**
   * Starts watching {@code tls}'s files for {@code server}, which serves {@code initial} now.
   *
   * @param listener names the port in logs and meters ({@code traffic}, {@code admin})
   */
  public static CertificateReloader start(Vertx vertx, ServerTls tls, PemFiles.KeyCertPair initial, HttpServer server,
      String listener, MeterRegistry registry) {
    LOG.info("TLS on the {} port: {} ({}); files re-read every {} s", listener, tls.certFile(), initial.describe(),
        tls.pollSeconds());
    return new CertificateReloader(Objects.requireNonNull(vertx), tls, initial, server, listener, registry);
  }

  private static Counter counter(MeterRegistry registry, String listener, String result) {
    return Counter.builder(RELOADS).description("Certificate reloads of a TLS port, by result")
        .tag("listener", listener).tag("result", result).register(registry);
  }

  /** The pair served to new connections now. */
  public PemFiles.KeyCertPair current() {
    return current;
  }

  /** Stops watching; the server keeps its certificate. */
  public void stop() {
    vertx.cancelTimer(timer);
  }

  private void poll() {
    if (polling) {
      return; // the previous check (file reads, key check, context build) is still running
    }
    polling = true;
    FileSystem files = vertx.fileSystem();
    Future<Buffer> cert = files.readFile(tls.certFile().toString());
    Future<Buffer> key = files.readFile(tls.keyFile().toString());
    Future.all(cert, key)
        .compose(both -> unchanged(cert.result(), key.result()) ? Future.succeededFuture()
            : swap(cert.result(), key.result()))
        .onComplete(ar -> {
          polling = false;
          if (ar.failed()) {
            rejected(ar.cause());
          }
        });
  }

  private boolean unchanged(Buffer cert, Buffer key) {
    return current.sameBytes(cert, key) || cert.equals(rejectedCert) && key.equals(rejectedKey);
  }

  private Future<Void> swap(Buffer cert, Buffer key) {
    rejectedCert = cert;
    rejectedKey = key; // until it checks out
    return vertx.executeBlocking(() -> PemFiles.pair(cert, key, tls.certFile(), tls.keyFile()), false)
        .compose(pair -> server.updateSSLOptions(ServerTls.sslOptions(pair)).map(changed -> {
          current = pair;
          lastProblem = null;
          rejectedCert = null;
          rejectedKey = null;
          applied.increment();
          LOG.info("TLS on the {} port: new certificate served to new connections ({})", listener, pair.describe());
          return null;
        }));
  }

  private void rejected(Throwable cause) {
    String problem = String.valueOf(cause.getMessage());
    if (!problem.equals(lastProblem)) {
      lastProblem = problem;
      failed.increment();
      LOG.warn("TLS on the {} port: changed certificate files not used, still serving {} ({}); retrying every {} s",
          listener, current.describe(), problem, tls.pollSeconds());
    }
  }
}
