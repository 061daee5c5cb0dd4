package io.shadowcar.launcher.demo;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A small JSON service for the demo and the benchmark:
 * {@code java -cp shadowcar.jar io.shadowcar.launcher.demo.SampleService --name v1 --port 8081 [--host H]
 * [--variant v1|v2] [--delay-ms N] [--fail-percent P] [--quiet]}. {@code --quiet} turns off the per-request log line
 * (benchmarks). Without {@code --variant}, a name holding a 2 plays v2.
 *
 * <p>Paths: {@code /hello?name=}, {@code /users/{id}}, {@code POST /orders}, {@code /health} (v2: another greeting,
 * an extra field), and the JSON API under {@code /api/} where v2 differs from v1 in known ways (see
 * {@link SampleApi}). Every answer names the instance ({@code "service"}). Each request is logged on one line with
 * its {@code X-Request-Id} and whether it was a shadow copy. Not part of the sidecar: never wire it into production.
 */
public final class SampleService {

  private final Vertx vertx;
  private final SampleOptions options;
  private final SampleApi api;
  /** Buffered, flushed by a timer: a write per request would cost a system call on the event loop. */
  private final java.io.PrintStream log =
      new java.io.PrintStream(new java.io.BufferedOutputStream(new java.io.FileOutputStream(java.io.FileDescriptor.out),
          1 << 16), false, java.nio.charset.StandardCharsets.UTF_8);

  SampleService(Vertx vertx, SampleOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.api = new SampleApi(options.variant());
    if (options.logRequests()) {
      vertx.setPeriodic(200, id -> log.flush());
    }
  }

  public static void main(String[] args) {
    SampleOptions options = SampleOptions.parse(args);
    Vertx vertx = Vertx.vertx();
    HttpServer server = vertx.createHttpServer().requestHandler(new SampleService(vertx, options)::handle);
    server.listen(options.port(), options.host())
        .onSuccess(s -> System.out.printf("%s (%s) listening on http://%s:%d%n", options.name(),
            options.variant().label(), options.host(), s.actualPort()))
        .onFailure(e -> {
          System.err.println(options.name() + ": cannot listen: " + e.getMessage());
          System.exit(1);
        });
  }

  void handle(HttpServerRequest request) {
    request.body().onComplete(body -> {
      String path = request.path();
      long delay = options.delayMs() + (SampleApi.handles(path) ? api.delayMillis(path) : 0);
      int bodyBytes = body.succeeded() ? body.result().length() : 0;
      if (delay > 0) {
        vertx.setTimer(delay, t -> respond(request, bodyBytes));
      } else {
        respond(request, bodyBytes);
      }
    });
  }

  private void respond(HttpServerRequest request, int bodyBytes) {
    boolean shadow = "true".equalsIgnoreCase(request.getHeader("X-Shadow-Request"));
    String requestId = request.getHeader("X-Request-Id");
    SampleAnswer answer;
    double failPercent = options.failPercent();
    if (failPercent > 0 && ThreadLocalRandom.current().nextDouble(100) < failPercent) {
      answer = SampleAnswer.error(500, "injected failure");
    } else if (SampleApi.handles(request.path())) {
      answer = api.answer(request.path(), request.getParam("q", ""));
    } else {
      answer = answer(request, bodyBytes);
    }
    JsonObject json = answer.body().put("service", options.name()).put("requestId", requestId);
    if (options.logRequests()) {
      log.printf("%s %s %s %d shadow=%s id=%s%n", options.name(), request.method(), request.uri(), answer.status(),
          shadow, requestId);
    }
    request.response().setStatusCode(answer.status()).putHeader("content-type", "application/json")
        .end(json.encode());
  }

  private SampleAnswer answer(HttpServerRequest request, int bodyBytes) {
    String path = request.path();
    boolean v2 = options.variant() == SampleVariant.V2;
    if (path.equals("/hello")) {
      String who = request.getParam("name", "world");
      return SampleAnswer.ok(new JsonObject().put("greeting", (v2 ? "Hi, " : "Hello, ") + who + "!"));
    }
    if (path.startsWith("/users/")) {
      String id = path.substring("/users/".length());
      JsonObject user = new JsonObject().put("id", id).put("name", "user-" + id);
      return SampleAnswer.ok(v2 ? user.put("tier", "standard") : user);
    }
    if (path.equals("/orders")) {
      return SampleAnswer.ok(new JsonObject().put("accepted", true).put("bytes", bodyBytes));
    }
    if (path.equals("/health")) {
      return SampleAnswer.ok(new JsonObject().put("status", "UP"));
    }
    SampleAnswer missing = SampleAnswer.error(404, "no such path");
    missing.body().put("path", path);
    return missing;
  }
}
