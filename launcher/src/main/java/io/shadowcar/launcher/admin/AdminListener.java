package io.shadowcar.launcher.admin;

import io.micrometer.core.instrument.MeterRegistry;
import io.shadowcar.launcher.config.ListenAddress;
import io.shadowcar.proxy.tls.CertificateReloader;
import io.shadowcar.proxy.tls.PemFiles;
import io.shadowcar.proxy.tls.ServerTls;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.Optional;

/**
 * One HTTP server on one address, plain or HTTPS. With a {@link ServerTls} it reads the certificate and key off the
 * event loops, serves them as the traffic port does ({@link ServerTls#apply}: ALPN h2 and http/1.1, TLS 1.2+, modern
 * suites) and re-reads the files for a rotated pair ({@link CertificateReloader}, meters tagged with the listener's
 * name). For the admin port and the {@code diff-dashboard} command's port; not for the traffic port, which binds one
 * server per event loop with its own pipeline.
 */
public final class AdminListener {

  private final HttpServer server;
  private final CertificateReloader certificates;

  private AdminListener(HttpServer server, CertificateReloader certificates) {
    this.server = server;
    this.certificates = certificates;
  }

  /**
   * Binds {@code address}; fails when the port is taken or the certificate and key cannot be read.
   *
   * @param listener names the port in logs and meters ({@code admin})
   */
  public static Future<AdminListener> listen(Vertx vertx, ListenAddress address, Optional<ServerTls> tls,
      Handler<HttpServerRequest> handler, String listener, MeterRegistry registry) {
    Future<PemFiles.KeyCertPair> certificate = tls
        .map(files -> vertx.executeBlocking(() -> PemFiles.readPair(files.certFile(), files.keyFile()), false))
        .orElse(Future.succeededFuture());
    return certificate.compose(pair -> {
      HttpServerOptions options = new HttpServerOptions().setHost(address.host()).setPort(address.port());
      if (pair != null) {
        ServerTls.apply(options, pair);
      }
      HttpServer server = vertx.createHttpServer(options).requestHandler(handler);
      return server.listen().map(bound -> new AdminListener(server, pair == null ? null
          : CertificateReloader.start(vertx, tls.orElseThrow(), pair, server, listener, registry)));
    });
  }

  /** The bound port (useful when the configured one was 0). */
  public int port() {
    return server.actualPort();
  }

  /** {@code https} with TLS, else {@code http}: for the URLs the logs show. */
  public String scheme() {
    return certificates == null ? "http" : "https";
  }

  /** Stops watching the certificate files and closes the server. */
  public Future<Void> close() {
    if (certificates != null) {
      certificates.stop();
    }
    return server.close();
  }
}
