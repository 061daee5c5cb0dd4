package io.shadowcar.eureka.rest;

import io.shadowcar.common.config.SecretMasker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Eureka's REST API ({@code /eureka/apps/...}, {@code /eureka/vips/...}) over the non-blocking Vert.x WebClient, in
 * JSON. One call goes to the current service URL; a connection failure, timeout or 5xx moves to the next URL for the
 * following call (failover, no retry here: callers own their retry policy).
 *
 * <p>Any HTTP answer below 500 completes the future (callers judge 204/200/404); only transport failures and 5xx fail
 * it. Not thread-safe beyond Vert.x's own guarantees: use it from one context.
 */
public final class EurekaRestClient {

  private static final Logger LOG = LoggerFactory.getLogger(EurekaRestClient.class);

  private final WebClient client;
  private final List<String> baseUrls;
  private final long timeoutMillis;
  private volatile int current;

  public EurekaRestClient(Vertx vertx, List<URI> serviceUrls, Duration requestTimeout, String userAgent) {
    this.baseUrls = serviceUrls.stream().map(u -> u.toString().replaceAll("/+$", "")).toList();
    this.timeoutMillis = requestTimeout.toMillis();
    WebClientOptions options = new WebClientOptions()
        .setUserAgent(userAgent)
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMillis))
        .setKeepAlive(true)
        .setDecompressionSupported(true);
    // Calls are sequential per user; a small bounded queue so a dead server cannot pile up requests.
    HttpClientAgent http = vertx.httpClientBuilder()
        .with(options)
        .with(new PoolOptions().setHttp1MaxSize(2).setMaxWaitQueueSize(16))
        .withConnectHandler(EurekaRestClient::connectionErrorsAtDebug)
        .build();
    this.client = WebClient.wrap(http, options);
  }

  /**
   * A connection the Eureka server resets (it restarts, or a balancer in front of it drops idle connections) fails the
   * call in flight, if any, which fails over; without a handler on the connection Vert.x would also log it at ERROR.
   */
  private static void connectionErrorsAtDebug(HttpConnection connection) {
    connection.exceptionHandler(e -> LOG.debug("connection to the Eureka server {} failed: {}",
        connection.remoteAddress(), e.toString()));
  }

  /** The service URL the next call goes to, its password masked: for logs and status pages. */
  public String currentServer() {
    return SecretMasker.maskValue(baseUrls.get(current));
  }

  /** {@code POST /apps/{app}} with the instance document; Eureka answers 204. */
  public Future<HttpResponse<Buffer>> register(String app, JsonObject instance) {
    return send(request(HttpMethod.POST, "/apps/" + app).putHeader("Content-Type", "application/json"),
        instance.toBuffer());
  }

  /** {@code PUT /apps/{app}/{id}?status=..&lastDirtyTimestamp=..}: renew the lease; 200, or 404 if unknown. */
  public Future<HttpResponse<Buffer>> renew(String app, String id, String status, long lastDirtyTimestamp) {
    return send(request(HttpMethod.PUT, "/apps/" + app + "/" + id)
        .addQueryParam("status", status)
        .addQueryParam("lastDirtyTimestamp", Long.toString(lastDirtyTimestamp)), null);
  }

  /** {@code PUT /apps/{app}/{id}/status?value=..}: set the status override; 200, or 404 if unknown. */
  public Future<HttpResponse<Buffer>> putStatusOverride(String app, String id, String value, long lastDirtyTimestamp) {
    return send(request(HttpMethod.PUT, "/apps/" + app + "/" + id + "/status")
        .addQueryParam("value", value)
        .addQueryParam("lastDirtyTimestamp", Long.toString(lastDirtyTimestamp)), null);
  }

  /**
   * {@code DELETE /apps/{app}/{id}/status?value=..}: remove the override and set the status to {@code value} (without a
   * value Eureka sets UNKNOWN and the next renewal 404s); 200, or 404 if unknown.
   */
  public Future<HttpResponse<Buffer>> deleteStatusOverride(String app, String id, String value,
      long lastDirtyTimestamp) {
    return send(request(HttpMethod.DELETE, "/apps/" + app + "/" + id + "/status")
        .addQueryParam("value", value)
        .addQueryParam("lastDirtyTimestamp", Long.toString(lastDirtyTimestamp)), null);
  }

  /** {@code DELETE /apps/{app}/{id}}: deregister; 200, or 404 if unknown. */
  public Future<HttpResponse<Buffer>> cancel(String app, String id) {
    return send(request(HttpMethod.DELETE, "/apps/" + app + "/" + id), null);
  }

  /** {@code GET /vips/{vip}}: every instance of the VIP, any status; 200. */
  public Future<HttpResponse<Buffer>> vip(String vip) {
    return send(request(HttpMethod.GET, "/vips/" + vip), null);
  }

  public void close() {
    client.close();
  }

  private HttpRequest<Buffer> request(HttpMethod method, String path) {
    return client.requestAbs(method, baseUrls.get(current) + path)
        .putHeader("Accept", "application/json")
        .timeout(timeoutMillis);
  }

  private Future<HttpResponse<Buffer>> send(HttpRequest<Buffer> request, Buffer body) {
    int used = current;
    Future<HttpResponse<Buffer>> sent;
    try {
      sent = body == null ? request.send() : request.sendBuffer(body);
    } catch (RuntimeException closed) { // e.g. "Client is closed" while Vert.x shuts down: a failure, never a throw
      return Future.failedFuture(closed);
    }
    return sent
        .compose(response -> response.statusCode() >= 500
            ? Future.failedFuture(new EurekaCallException("HTTP " + response.statusCode() + " from "
                + SecretMasker.maskValue(baseUrls.get(used))))
            : Future.succeededFuture(response))
        .onFailure(failure -> failover(used));
  }

  /** Move on to the next URL, unless another call already did. */
  private void failover(int failed) {
    if (current == failed) {
      current = (failed + 1) % baseUrls.size();
    }
  }

  /** A call to Eureka got no usable answer. */
  public static final class EurekaCallException extends RuntimeException {
    public EurekaCallException(String message) {
      super(message, null, false, false);
    }
  }
}
