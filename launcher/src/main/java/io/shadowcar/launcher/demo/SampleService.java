package io.shadowcar.launcher.demo;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A small JSON service for the demo and the benchmark:
 * {@code java -cp shadowcar.jar io.shadowcar.launcher.demo.SampleService --name v1 --port 8081 [--host H]
 * [--delay-ms N] [--fail-percent P] [--quiet]}. {@code --quiet} turns off the per-request log line (benchmarks).
 *
 * <p>{@code v2} answers slightly differently from {@code v1} (another greeting, an extra field) so that a diff of
 * primary and shadow responses has something to show. Each request is logged on one line with its
 * {@code X-Request-Id} and whether it was a shadow copy. Not part of the sidecar: never wire it into production.
 */
public final class SampleService {

  private final Vertx vertx;
  private final String name;
  private final long delayMs;
  private final double failPercent;
  private final boolean logRequests;
  /** Buffered, flushed by a timer: a write per request would cost a system call on the event loop. */
  private final java.io.PrintStream log =
      new java.io.PrintStream(new java.io.BufferedOutputStream(new java.io.FileOutputStream(java.io.FileDescriptor.out),
          1 << 16), false, java.nio.charset.StandardCharsets.UTF_8);

  SampleService(Vertx vertx, String name, long delayMs, double failPercent, boolean logRequests) {
    this.vertx = vertx;
    this.name = name;
    this.delayMs = delayMs;
    this.failPercent = failPercent;
    this.logRequests = logRequests;
    if (logRequests) {
      vertx.setPeriodic(200, id -> log.flush());
    }
  }

  public static void main(String[] args) {
    String name = "v1";
    String host = "127.0.0.1";
    int port = 8081;
    long delay = 0;
    double fail = 0;
    boolean quiet = false;
    for (int i = 0; i < args.length; i += 2) {
      if (args[i].equals("--quiet")) {
        quiet = true;
        i--;
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value for " + args[i]);
      }
      String value = args[i + 1];
      switch (args[i]) {
        case "--name" -> name = value;
        case "--host" -> host = value;
        case "--port" -> port = Integer.parseInt(value);
        case "--delay-ms" -> delay = Long.parseLong(value);
        case "--fail-percent" -> fail = Double.parseDouble(value);
        default -> throw new IllegalArgumentException("unknown argument: " + args[i]
            + " (expected: --name, --host, --port, --delay-ms, --fail-percent, --quiet)");
      }
    }
    String label = name;
    String boundHost = host;
    Vertx vertx = Vertx.vertx();
    HttpServer server = vertx.createHttpServer().requestHandler(new SampleService(vertx, name, delay, fail, !quiet)::handle);
    server.listen(port, host)
        .onSuccess(s -> System.out.printf("%s listening on http://%s:%d%n", label, boundHost, s.actualPort()))
        .onFailure(e -> {
          System.err.println(label + ": cannot listen: " + e.getMessage());
          System.exit(1);
        });
  }

  void handle(HttpServerRequest request) {
    request.body().onComplete(body -> {
      long delay = delayMs;
      if (delay > 0) {
        vertx.setTimer(delay, t -> respond(request, body.succeeded() ? body.result().length() : 0));
      } else {
        respond(request, body.succeeded() ? body.result().length() : 0);
      }
    });
  }

  private void respond(HttpServerRequest request, int bodyBytes) {
    boolean shadow = "true".equalsIgnoreCase(request.getHeader("X-Shadow-Request"));
    String requestId = request.getHeader("X-Request-Id");
    int status;
    JsonObject json;
    if (failPercent > 0 && ThreadLocalRandom.current().nextDouble(100) < failPercent) {
      status = 500;
      json = new JsonObject().put("error", "injected failure");
    } else {
      status = 200;
      json = answer(request, bodyBytes);
      if (json == null) {
        status = 404;
        json = new JsonObject().put("error", "no such path").put("path", request.path());
      }
    }
    json.put("service", name).put("requestId", requestId);
    if (logRequests) {
      log.printf("%s %s %s %d shadow=%s id=%s%n", name, request.method(), request.uri(), status, shadow, requestId);
    }
    request.response().setStatusCode(status).putHeader("content-type", "application/json").end(json.encode());
  }

  private JsonObject answer(HttpServerRequest request, int bodyBytes) {
    String path = request.path();
    boolean v2 = name.toLowerCase(Locale.ROOT).contains("2");
    if (path.equals("/hello")) {
      String who = request.getParam("name", "world");
      return new JsonObject().put("greeting", (v2 ? "Hi, " : "Hello, ") + who + "!");
    }
    if (path.startsWith("/users/")) {
      String id = path.substring("/users/".length());
      JsonObject user = new JsonObject().put("id", id).put("name", "user-" + id);
      return v2 ? user.put("tier", "standard") : user;
    }
    if (path.equals("/orders")) {
      return new JsonObject().put("accepted", true).put("bytes", bodyBytes);
    }
    if (path.equals("/health")) {
      return new JsonObject().put("status", "UP");
    }
    return null;
  }
}
