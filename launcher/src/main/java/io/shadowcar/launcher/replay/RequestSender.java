package io.shadowcar.launcher.replay;

import io.shadowcar.common.headers.HeaderTokens;
import io.shadowcar.proxy.upstream.UpstreamClients;
import io.shadowcar.sink.kafka.RecordedExchange;
import io.shadowcar.tee.CapturedResponse;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends recorded requests to the target with Vert.x's HTTP client, at most {@code maxInflight} at once. The sending
 * thread takes a permit ({@link #tryAcquire}) before each {@link #send}; the response's end, or the failure, gives it
 * back on the client's event loop. Nothing is queued here: a full sender makes the caller wait, and the caller stops
 * reading Kafka meanwhile.
 *
 * <p>The request is the recorded one: method, uri (after the target's base path), headers in order and the body
 * bytes; the framing ({@code Content-Length}, {@code Transfer-Encoding}) and hop-by-hop headers are dropped and left
 * to the client; {@code Host} is sent as recorded (like the HTTP shadow sink). The marker headers
 * {@value #SHADOW_HEADER} and {@value #REPLAY_HEADER} are set to {@code true}. {@link #call} sends the same request
 * and hands back the captured response, for diff workers; it takes no permit (the worker bounds its own exchanges).
 */
public final class RequestSender implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RequestSender.class);

  static final String SHADOW_HEADER = "X-Shadow-Request";
  static final String REPLAY_HEADER = "X-Replay";

  private static final List<String> DROPPED = List.of("connection", "keep-alive", "te", "trailer",
      "transfer-encoding", "upgrade", "proxy-connection", "proxy-authenticate", "proxy-authorization",
      "content-length", "expect", "host", SHADOW_HEADER, REPLAY_HEADER);
  private static final Set<String> BODY_EXPECTED = Set.of("POST", "PUT", "PATCH");

  private final HttpClient client;
  private final Semaphore permits;
  private final int maxInflight;
  private final ReplayStats stats;
  private final URI target;
  private final String basePath;
  private final int port;
  private final long timeoutMillis;
  private final Context context;
  /** Failure reasons already logged with an example: the summary counts them, the log says why once. */
  private final Set<String> reportedFailures = ConcurrentHashMap.newKeySet();

  RequestSender(Vertx vertx, ReplayOptions options, ReplayStats stats) {
    this(vertx, options.target(), options.maxInflight(), options.timeout(), stats);
  }

  /**
   * A sender to {@code target} with {@code maxInflight} permits and connections, counting {@link #send} outcomes in
   * {@code stats}; {@code timeout} bounds each request to its response's end.
   */
  public RequestSender(Vertx vertx, URI target, int maxInflight, Duration timeout, ReplayStats stats) {
    this.maxInflight = maxInflight;
    this.permits = new Semaphore(maxInflight);
    this.stats = stats;
    this.target = target;
    boolean https = "https".equalsIgnoreCase(target.getScheme());
    this.port = target.getPort() > 0 ? target.getPort() : https ? 443 : 80;
    String path = target.getRawPath() == null ? "" : target.getRawPath();
    this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    this.timeoutMillis = timeout.toMillis();
    this.context = vertx.getOrCreateContext();
    this.client = vertx.httpClientBuilder()
        .with(new HttpClientOptions().setSsl(https).setKeepAlive(true).setPipelining(false)
            .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMillis)))
        .with(new PoolOptions().setHttp1MaxSize(maxInflight).setMaxWaitQueueSize(maxInflight))
        .withConnectHandler(UpstreamClients::connectionErrorsAtDebug)
        .build();
  }

  /** Waits up to {@code wait} for room for one more request. */
  public boolean tryAcquire(Duration wait) throws InterruptedException {
    return permits.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS);
  }

  public int inflight() {
    return maxInflight - permits.availablePermits();
  }

  /** Sends one request; call only while holding a permit from {@link #tryAcquire}, which this gives back. */
  void send(RecordedExchange exchange) {
    long start = System.nanoTime();
    call(exchange, 0).onComplete(done -> {
      // Count before giving the permit back: awaitIdle() then means "every outcome is in the stats".
      if (done.succeeded()) {
        stats.sent(done.result().statusCode(), System.nanoTime() - start);
      } else {
        String reason = failureReason(done.cause());
        stats.failed(reason);
        if (reportedFailures.add(reason)) {
          // the stack trace only for what is neither a timeout nor a refused connection: an unexpected failure
          LOG.warn("request {} {} failed ({}: {}); further failures for this reason are only counted",
              exchange.method(), exchange.uri(), reason, done.cause().toString(),
              reason.equals("error") ? done.cause() : null);
        }
      }
      permits.release();
    });
  }

  /**
   * Sends one request and captures the response, keeping the first {@code maxBodyBytes} of its body (the rest is
   * read and counted, {@code bodyTruncated}); latency is to the body's end. Takes no permit and counts nothing: the
   * caller bounds and counts (see {@link #failureReason}). A request the client refuses to encode fails the future.
   */
  public Future<CapturedResponse> call(RecordedExchange exchange, int maxBodyBytes) {
    if (Vertx.currentContext() == context) {
      return exchange(exchange, maxBodyBytes);
    }
    // Every exchange runs on the sender's one context. Started from another thread (the replay loop's), the response
    // reached the capture's callback as a task queued behind the event loop's reads, and a short answer could end
    // before its handlers were set: Vert.x then refuses them (IllegalStateException) and the request counted as failed.
    Promise<CapturedResponse> done = Promise.promise();
    context.runOnContext(v -> exchange(exchange, maxBodyBytes).onComplete(done));
    return done.future();
  }

  private Future<CapturedResponse> exchange(RecordedExchange exchange, int maxBodyBytes) {
    long start = System.nanoTime();
    RequestOptions request = new RequestOptions()
        .setMethod(HttpMethod.valueOf(exchange.method()))
        .setServer(SocketAddress.inetSocketAddress(port, target.getHost()))
        .setHost(target.getHost())
        .setPort(port)
        .setURI(basePath + exchange.uri())
        .setHeaders(headers(exchange.headers()))
        .setTimeout(timeoutMillis);
    String host = recordedHost(exchange.headers());
    try {
      return client.request(request).compose(req -> {
        if (host != null) {
          req.authority(HostAndPort.parseAuthority(host, -1));
        }
        return send(req, exchange);
      }).compose(response -> capture(response, maxBodyBytes, start));
    } catch (RuntimeException e) {
      // A header value or method the client refuses to encode.
      return Future.failedFuture(e);
    }
  }

  private static Future<CapturedResponse> capture(HttpClientResponse response, int maxBodyBytes, long start) {
    Promise<CapturedResponse> captured = Promise.promise();
    Buffer kept = Buffer.buffer(Math.min(maxBodyBytes, 4096));
    long[] seen = {0};
    response.handler(chunk -> {
      seen[0] += chunk.length();
      int room = maxBodyBytes - kept.length();
      if (room > 0) {
        kept.appendBuffer(chunk.length() <= room ? chunk : chunk.slice(0, room));
      }
    });
    response.exceptionHandler(captured::tryFail);
    response.endHandler(end -> captured.tryComplete(new CapturedResponse(response.statusCode(),
        CapturedResponse.copyOf(response.headers()), kept, seen[0] > kept.length(), seen[0],
        Duration.ofNanos(System.nanoTime() - start))));
    return captured.future();
  }

  private static Future<HttpClientResponse> send(HttpClientRequest req, RecordedExchange exchange) {
    Buffer body = exchange.body();
    if (body.length() == 0 && !BODY_EXPECTED.contains(exchange.method())) {
      return req.send();
    }
    return req.send(body);
  }

  /** Waits up to {@code wait} for every request in flight to end. */
  public boolean awaitIdle(Duration wait) throws InterruptedException {
    if (permits.tryAcquire(maxInflight, wait.toNanos(), TimeUnit.NANOSECONDS)) {
      permits.release(maxInflight);
      return true;
    }
    return false;
  }

  @Override
  public void close() {
    // Closing the Vert.x instance afterwards closes the client anyway; this only starts it early.
    client.close();
  }

  static MultiMap headers(List<Map.Entry<String, String>> recorded) {
    Set<String> dropped = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    dropped.addAll(DROPPED);
    for (Map.Entry<String, String> header : recorded) {
      if (header.getKey().equalsIgnoreCase("connection")) {
        HeaderTokens.forEachElement(header.getValue(), dropped::add);
      }
    }
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (Map.Entry<String, String> header : recorded) {
      String name = header.getKey();
      if (!dropped.contains(name) && !name.toLowerCase(Locale.ROOT).startsWith("proxy-")) {
        headers.add(name, header.getValue());
      }
    }
    headers.set(SHADOW_HEADER, "true");
    headers.set(REPLAY_HEADER, "true");
    return headers;
  }

  /** {@code timeout}, {@code connect} or {@code error}: how a failed request is counted. */
  public static String failureReason(Throwable failure) {
    if (failure instanceof TimeoutException) {
      return "timeout";
    }
    if (failure instanceof ConnectException) {
      return "connect";
    }
    return "error";
  }

  private static String recordedHost(List<Map.Entry<String, String>> headers) {
    for (Map.Entry<String, String> header : headers) {
      if (header.getKey().equalsIgnoreCase("host")) {
        return header.getValue();
      }
    }
    return null;
  }
}
