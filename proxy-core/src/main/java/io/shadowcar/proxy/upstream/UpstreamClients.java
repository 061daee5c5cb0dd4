package io.shadowcar.proxy.upstream;

import io.shadowcar.common.target.TargetUrl;
import io.shadowcar.proxy.tls.UpstreamTls;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clients of one caller (an event loop of the traffic port, or the HTTP shadow sink) to a list of targets, one
 * per way of connecting, since a Vert.x client has one set of options: plain HTTP/1.1, HTTP/2 with prior knowledge
 * ({@code h2c://}), and TLS (two clients: one that always sends the host as SNI, for names, and one that sends none,
 * for IP literals, which SNI may not carry). Each keeps its own keep-alive pool. Built once; {@link #slot} is
 * computed once per target so the hot path indexes an array.
 *
 * <p>TLS clients speak HTTP/1.1 (ALPN is not offered) unless {@link UpstreamTls#alpn()} offers {@code h2}: then
 * every request to an {@code https://} target offers {@code h2} and {@code http/1.1}, and speaks what the server
 * picks (HTTP/1.1 when it picks that or does not answer ALPN). A gRPC call needs HTTP/2 whatever the target's scheme,
 * so {@link #grpcSlot} picks HTTP/2 with prior knowledge for {@code http://} targets and HTTP/2 negotiated with ALPN
 * for {@code https://} ones. An {@code Upgrade} request needs HTTP/1.1, so {@link #http1Slot} picks plain HTTP/1.1
 * for {@code h2c://} targets and TLS without ALPN for {@code https://} ones.
 */
public final class UpstreamClients {

  private static final Logger LOG = LoggerFactory.getLogger(UpstreamClients.class);

  private static final int HTTP = 0;
  private static final int H2C = 1;
  private static final int TLS_NAMED = 2;
  private static final int TLS_IP = 3;
  private static final int TLS_H2_NAMED = 4;
  private static final int TLS_H2_IP = 5;
  /** TLS without ALPN whatever the option: the same clients as the TLS slots unless those offer h2. */
  private static final int TLS_H1_NAMED = 6;
  private static final int TLS_H1_IP = 7;

  private final HttpClientAgent[] clients;

  private UpstreamClients(HttpClientAgent[] clients) {
    this.clients = clients;
  }

  /**
   * @param base the options every client shares (timeouts, keep-alive, header sizes); copied, not changed
   * @param pool the pool every client gets (each client has its own pool of this size)
   * @param tls how {@code https://} targets are trusted
   */
  public static UpstreamClients create(Vertx vertx, HttpClientOptions base, PoolOptions pool, UpstreamTls tls) {
    HttpClientAgent[] clients = new HttpClientAgent[8];
    clients[HTTP] = build(vertx, new HttpClientOptions(base).setProtocolVersion(HttpVersion.HTTP_1_1), pool);
    clients[H2C] = build(vertx, new HttpClientOptions(base).setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false), pool);
    clients[TLS_H1_NAMED] = build(vertx, tls.apply(new HttpClientOptions(base)
        .setProtocolVersion(HttpVersion.HTTP_1_1), true), pool);
    clients[TLS_H1_IP] = build(vertx, tls.apply(new HttpClientOptions(base).setProtocolVersion(HttpVersion.HTTP_1_1),
        false), pool);
    clients[TLS_H2_NAMED] = build(vertx, tls.apply(alpnH2(base), true), pool);
    clients[TLS_H2_IP] = build(vertx, tls.apply(alpnH2(base), false), pool);
    boolean h2 = tls.alpn().offersH2();
    clients[TLS_NAMED] = clients[h2 ? TLS_H2_NAMED : TLS_H1_NAMED];
    clients[TLS_IP] = clients[h2 ? TLS_H2_IP : TLS_H1_IP];
    return new UpstreamClients(clients);
  }

  /** Offers h2 and http/1.1; Vert.x speaks HTTP/1.1 on the connection when the server does not pick h2. */
  private static HttpClientOptions alpnH2(HttpClientOptions base) {
    return new HttpClientOptions(base).setProtocolVersion(HttpVersion.HTTP_2).setUseAlpn(true);
  }

  /** The slot for a gRPC call to a target of {@code slot}: always HTTP/2 (h2c, or TLS with ALPN h2). */
  public static int grpcSlot(int slot) {
    return switch (slot) {
      case TLS_NAMED -> TLS_H2_NAMED;
      case TLS_IP -> TLS_H2_IP;
      case HTTP -> H2C;
      default -> slot;
    };
  }

  /** The slot for an HTTP/1.1-only request ({@code Upgrade}) to a target of {@code slot}. */
  public static int http1Slot(int slot) {
    return switch (slot) {
      case H2C -> HTTP;
      case TLS_NAMED -> TLS_H1_NAMED;
      case TLS_IP -> TLS_H1_IP;
      default -> slot;
    };
  }

  private static HttpClientAgent build(Vertx vertx, HttpClientOptions options, PoolOptions pool) {
    return vertx.httpClientBuilder().with(options).with(new PoolOptions(pool))
        .withConnectHandler(UpstreamClients::connectionErrorsAtDebug).build();
  }

  /**
   * For each connection a Vert.x pool opens: its connection-level errors logged at DEBUG. A connection reset while
   * idle in the pool (its server restarting) fails no request, yet without a handler Vert.x logs it at ERROR; a request
   * in flight still fails through its own handlers, and the pool drops the closed connection.
   */
  public static void connectionErrorsAtDebug(HttpConnection connection) {
    connection.exceptionHandler(e -> LOG.debug("pooled connection to {} failed: {}", connection.remoteAddress(),
        e.toString()));
  }

  /** Which client serves {@code url}; compute it once per target. */
  public static int slot(TargetUrl url) {
    return switch (url.protocol()) {
      case HTTP -> HTTP;
      case H2C -> H2C;
      case HTTPS -> url.ipLiteral() ? TLS_IP : TLS_NAMED;
    };
  }

  /** The client for a target's {@link #slot}. */
  public HttpClient client(int slot) {
    return clients[slot];
  }

  /** True for the slot of plain HTTP/1.1 targets. */
  public static boolean isPlainHttp1(int slot) {
    return slot == HTTP;
  }

  /** Closes every client and its connections. */
  public Future<Void> close() {
    return Future.join(java.util.Arrays.stream(clients).distinct().map(HttpClientAgent::close).toList()).mapEmpty();
  }
}
