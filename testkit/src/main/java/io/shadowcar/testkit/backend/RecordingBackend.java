package io.shadowcar.testkit.backend;

import io.shadowcar.testkit.tls.TestCertificates;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP/1.1 + h2c server (or, from {@link #startTls}, HTTPS with ALPN h2 and http/1.1) on {@code 127.0.0.1} and
 * a free port that records every request it receives (head and whole body) and answers through a {@link Responder}.
 * For tests that check what a proxy delivered upstream.
 *
 * <p>Not for large or streamed bodies (they are aggregated in memory) nor for tests that must control when the
 * request body is read: write a dedicated server for those.
 */
public final class RecordingBackend implements AutoCloseable {

  /**
   * What the backend received. Headers are a copy, in arrival order; {@code serverName} is the SNI name the client
   * sent over TLS ({@code null} without TLS or SNI).
   */
  public record Recorded(HttpMethod method, String uri, MultiMap headers, Buffer body, HttpVersion version,
      String serverName) {}

  /** Answers a recorded request; runs on the backend's event loop once the whole body arrived. */
  @FunctionalInterface
  public interface Responder {
    void respond(Recorded request, HttpServerResponse response);

    /** 200 with body {@code ok}. */
    static Responder ok() {
      return (request, response) -> response.putHeader(HttpHeaders.CONTENT_TYPE, "text/plain").end("ok");
    }

    /** 200 echoing the request body. */
    static Responder echo() {
      return (request, response) -> response.end(request.body());
    }
  }

  private final HttpServer server;
  private final boolean tls;
  private final List<Recorded> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();

  private RecordingBackend(Vertx vertx, HttpServerOptions options, Responder responder) {
    tls = options.isSsl();
    server = vertx.createHttpServer(options.setHost("127.0.0.1"))
        .connectionHandler(connection -> connections.incrementAndGet())
        .requestHandler(req -> req.body().onSuccess(body -> {
          Recorded recorded = new Recorded(req.method(), req.uri(),
              HttpHeaders.headers().addAll(req.headers()), body, req.version(),
              req.isSSL() ? req.connection().indicatedServerName() : null);
          requests.add(recorded);
          responder.respond(recorded, req.response());
        }));
  }

  /** Starts a backend and waits (up to 10 s) until it listens. */
  public static RecordingBackend start(Vertx vertx, Responder responder) {
    return listen(new RecordingBackend(vertx, new HttpServerOptions(), responder));
  }

  /** Starts an HTTPS backend serving {@code certificate} (ALPN h2 and http/1.1), waiting until it listens. */
  public static RecordingBackend startTls(Vertx vertx, TestCertificates.Issued certificate, Responder responder) {
    return startTls(vertx, certificate, List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1), responder);
  }

  /**
   * Starts an HTTPS backend whose ALPN accepts only {@code alpn}; an empty list turns ALPN off (an HTTP/1.1-only
   * server that does not answer ALPN at all).
   */
  public static RecordingBackend startTls(Vertx vertx, TestCertificates.Issued certificate, List<HttpVersion> alpn,
      Responder responder) {
    HttpServerOptions options = new HttpServerOptions().setSsl(true).setUseAlpn(!alpn.isEmpty()).setSni(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertValue(Buffer.buffer(certificate.certificatePem()))
            .setKeyValue(Buffer.buffer(certificate.keyPem())));
    if (!alpn.isEmpty()) {
      options.setAlpnVersions(alpn);
    }
    return listen(new RecordingBackend(vertx, options, responder));
  }

  private static RecordingBackend listen(RecordingBackend backend) {
    try {
      backend.server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("backend did not start", e);
    }
    return backend;
  }

  public int port() {
    return server.actualPort();
  }

  /** {@code http://127.0.0.1:PORT}, or {@code https://127.0.0.1:PORT} for a TLS backend. */
  public URI uri() {
    return URI.create((tls ? "https" : "http") + "://127.0.0.1:" + port());
  }

  /** How many connections were accepted so far (a kept-alive connection counts once). */
  public int connections() {
    return connections.get();
  }

  /** The requests received so far, oldest first. */
  public List<Recorded> requests() {
    return List.copyOf(requests);
  }

  /** The only request received; fails when there were none or several. */
  public Recorded single() {
    List<Recorded> all = requests();
    if (all.size() != 1) {
      throw new AssertionError("expected exactly one request, got " + all.size());
    }
    return all.get(0);
  }

  @Override
  public void close() {
    try {
      server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("backend did not close", e);
    }
  }
}
