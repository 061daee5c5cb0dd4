package io.shadowcar.health.check;

import io.shadowcar.health.CheckStatus;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An HTTP check: GET the URL; 2xx passing, 429 warning, anything else (or no answer in time) critical. The body is
 * read up to the output cap, then the connection is closed. Non-blocking: runs on a Vert.x event loop, whatever thread
 * calls {@link #run}.
 *
 * <p>Give it an {@link HttpClient} created with keep-alive off (every run opens a fresh connection, so a check
 * sees what a new caller would see).
 */
public final class HttpCheck implements HealthCheck {

  private static final String USER_AGENT = "shadowcar-health-check";
  /** The output of a run whose response had ended before its body could be read. */
  static final String ENDED_BEFORE_READ = "(the answer ended before its body could be read)";

  private final Vertx vertx;
  private final HttpClient client;
  private final CheckDefinition definition;
  private final String url;
  private final int outputCapacity;

  public HttpCheck(Vertx vertx, HttpClient client, CheckDefinition definition, int outputCapacity) {
    if (!(definition.target() instanceof CheckTarget.Http http)) {
      throw new IllegalArgumentException(definition.name() + ": not an HTTP check");
    }
    this.vertx = vertx;
    this.client = client;
    this.definition = definition;
    this.url = http.url().toString();
    this.outputCapacity = outputCapacity;
  }

  /**
   * Starts a run on a Vert.x context: the schedule calls from its own thread, and a listener added there to a future
   * Vert.x has already completed runs later as a task, after the response may have ended, so its body could no longer
   * be read. On the context, the response's handlers are set in the event that hands it over. Whatever the start
   * throws fails the run at once (the schedule records it as critical) rather than leaving it to its timeout, or to no
   * end at all should the throw come before the timer is set.
   */
  @Override
  public CompletionStage<CheckResult> run() {
    Promise<CheckResult> promise = Promise.promise();
    vertx.runOnContext(v -> {
      try {
        start(promise);
      } catch (RuntimeException e) {
        promise.tryFail(e);
      }
    });
    return promise.future().toCompletionStage();
  }

  private void start(Promise<CheckResult> promise) {
    long startNanos = System.nanoTime();
    long timeoutMs = definition.timeout().toMillis();
    AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
    long timerId = vertx.setTimer(timeoutMs, id -> {
      if (promise.tryComplete(result(CheckStatus.CRITICAL,
          "HTTP GET " + url + ": " + CheckResult.timedOut(definition.timeout()), startNanos))) {
        HttpClientRequest request = sent.get();
        if (request != null) {
          request.reset(); // free the connection now rather than at the idle timeout
        }
      }
    });
    promise.future().onComplete(done -> vertx.cancelTimer(timerId));
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setAbsoluteURI(url)
        .setConnectTimeout(timeoutMs)
        .setIdleTimeout(timeoutMs)
        .setFollowRedirects(false)
        .putHeader("User-Agent", USER_AGENT)
        .putHeader("Accept", "text/plain, text/*, */*");
    client.request(options)
        .compose(request -> {
          sent.set(request);
          return request.send();
        })
        .onSuccess(response -> readBody(response, promise, startNanos))
        .onFailure(error -> promise.tryComplete(
            result(CheckStatus.CRITICAL, "HTTP GET " + url + ": " + describe(error), startNanos)));
  }

  /**
   * Reads the body up to the output cap and completes {@code promise}. A response that has already ended refuses
   * handlers (seen once under load when runs started on the schedule's thread, which {@link #run} now rules out):
   * should one still come, its status stands, with a note in place of the body, rather than leaving the run to its
   * timeout.
   */
  void readBody(HttpClientResponse response, Promise<CheckResult> promise, long startNanos) {
    CheckStatus status = statusOf(response.statusCode());
    String head = "HTTP GET " + url + ": " + response.statusCode() + " " + response.statusMessage() + " Output: ";
    byte[] body = new byte[outputCapacity];
    int[] length = {0};
    try {
      response.exceptionHandler(error -> promise.tryComplete(result(status, head + text(body, length[0]),
          startNanos)));
      response.endHandler(done -> promise.tryComplete(result(status, head + text(body, length[0]), startNanos)));
      response.handler(chunk -> {
        int take = Math.min(chunk.length(), outputCapacity - length[0]);
        chunk.getBytes(0, take, body, length[0]);
        length[0] += take;
        if (length[0] >= outputCapacity && promise.tryComplete(result(status, head + text(body, length[0]),
            startNanos))) {
          // Enough read: drop the rest of the body with the connection (keep-alive is off anyway).
          response.request().connection().close();
        }
      });
    } catch (IllegalStateException ended) {
      // any of the three may find it ended, should the end come on another thread while they are set
      promise.tryComplete(result(status, head + ENDED_BEFORE_READ, startNanos));
    }
  }

  /** 2xx passing, 429 warning, anything else critical. */
  public static CheckStatus statusOf(int httpStatus) {
    if (httpStatus >= 200 && httpStatus < 300) {
      return CheckStatus.PASSING;
    }
    return httpStatus == 429 ? CheckStatus.WARNING : CheckStatus.CRITICAL;
  }

  private static String text(byte[] body, int length) {
    return new String(body, 0, length, StandardCharsets.UTF_8);
  }

  private static String describe(Throwable error) {
    return error.getMessage() != null ? error.getMessage() : error.getClass().getSimpleName();
  }

  private static CheckResult result(CheckStatus status, String output, long startNanos) {
    return new CheckResult(status, output, Duration.ofNanos(System.nanoTime() - startNanos));
  }
}
