package io.shadowcar.dashboard.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.shadowcar.common.config.InvalidValueException;
import io.shadowcar.dashboard.DashboardView;
import io.shadowcar.dashboard.DiffRecorder;
import io.shadowcar.dashboard.IgnoreRule;
import io.shadowcar.diff.EndpointSnapshot;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard page ({@code GET /diff}, assets under {@code /diff/ui/}) and its JSON API under {@code /api/diff/}, as
 * one Vert.x Web router to mount at {@code /} of the admin server ({@code admin.route("/*").subRouter(router)}).
 *
 * <p>Every handler builds its document (and encodes its JSON) on a small worker pool, never on the event loop;
 * mutations (POST, DELETE) pass the caller's guard first (loopback or admin token). Not a public API surface: it
 * trusts the admin port's exposure rules.
 */
public final class DiffRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(DiffRoutes.class);
  private static final String UI = "io/shadowcar/dashboard/ui/";
  private static final Map<String, String> ASSETS = Map.of(
      "dashboard.js", "text/javascript; charset=utf-8",
      "dashboard.css", "text/css; charset=utf-8");
  private static final String JSON_TYPE = "application/json; charset=utf-8";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_RULE_BODY_BYTES = 16 * 1024;

  private final DiffRecorder recorder;
  private final WorkerExecutor workers;
  private final Router router;

  private DiffRoutes(Vertx vertx, DiffRecorder recorder, Handler<RoutingContext> mutationGuard) {
    this.recorder = recorder;
    this.workers = vertx.createSharedWorkerExecutor("shadowcar-diff-api", 2);
    this.router = Router.router(vertx);
    Buffer page = resource("index.html");
    router.get("/diff").handler(ctx -> ctx.response().putHeader("content-type", "text/html; charset=utf-8")
        .putHeader("content-security-policy", "default-src 'self'").putHeader("cache-control", "no-cache")
        .end(page));
    ASSETS.forEach((name, type) -> {
      Buffer body = resource(name);
      router.get("/diff/ui/" + name).handler(ctx -> ctx.response().putHeader("content-type", type)
          .putHeader("x-content-type-options", "nosniff").putHeader("cache-control", "no-cache").end(body));
    });
    router.get("/api/diff/status").handler(ctx -> respond(ctx, 200,
        () -> DiffDocuments.status(recorder.view(), recorder.storeStatus())));
    router.get("/api/diff/endpoints").handler(ctx -> respond(ctx, 200,
        () -> DiffDocuments.endpoints(recorder.view(), minutes(ctx))));
    router.get("/api/diff/endpoint").handler(ctx -> respond(ctx, 200, () -> endpoint(ctx)));
    router.get("/api/diff/samples").handler(ctx -> respond(ctx, 200, () -> samples(ctx)));
    router.get("/api/diff/rules").handler(ctx -> respond(ctx, 200, () -> Map.of("rules", recorder.view().rules())));
    router.get("/api/diff/events").handler(new EventStream(vertx, recorder)::handle);
    Handler<RoutingContext> guard = Objects.requireNonNull(mutationGuard, "mutationGuard");
    router.post("/api/diff/rules").handler(BodyHandler.create(false).setBodyLimit(MAX_RULE_BODY_BYTES))
        .handler(guard).handler(ctx -> respond(ctx, 201, () -> addRule(ctx)));
    router.delete("/api/diff/rules/:id").handler(guard).handler(ctx -> respond(ctx, 200, () -> removeRule(ctx)));
    router.post("/api/diff/clear").handler(guard).handler(ctx -> respond(ctx, 200, () -> {
      recorder.clear().get();
      return Map.of("cleared", true, "since", recorder.view().sinceMillis());
    }));
  }

  /**
   * The router for {@code recorder}; {@code mutationGuard} runs before every POST and DELETE and either calls
   * {@code ctx.next()} or ends the request (e.g. 403).
   */
  public static Router create(Vertx vertx, DiffRecorder recorder, Handler<RoutingContext> mutationGuard) {
    return new DiffRoutes(vertx, recorder, mutationGuard).router;
  }

  private Object endpoint(RoutingContext ctx) {
    String key = required(ctx, "key");
    DashboardView view = recorder.view();
    EndpointSnapshot e = view.aggregate().endpoint(key);
    if (e == null) {
      throw new NotFound("no results for endpoint " + key);
    }
    return DiffDocuments.endpoint(view, e, recorder.sampleCounts(key));
  }

  private Object samples(RoutingContext ctx) {
    String endpoint = required(ctx, "endpoint");
    String field = ctx.request().getParam("field");
    String kind = ctx.request().getParam("kind");
    String bucket;
    if (field != null && !field.isBlank()) {
      bucket = field;
    } else if ("same".equals(kind) || "different".equals(kind)) {
      bucket = "#" + kind;
    } else {
      throw new InvalidValueException("field", field, "a field path, or kind=different|same");
    }
    long since = 0;
    Integer minutes = minutes(ctx);
    String sinceParam = ctx.request().getParam("since");
    if (minutes != null) {
      since = recorder.view().generatedAtMillis() - minutes * 60_000L;
    } else if (sinceParam != null) {
      since = parseLong("since", sinceParam);
    }
    return DiffDocuments.samples(endpoint, bucket, recorder.samples(endpoint, bucket, since));
  }

  private Object addRule(RoutingContext ctx) throws ExecutionException, InterruptedException {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      body = null;
    }
    if (body == null) {
      throw new InvalidValueException("body", null, "a JSON object {kind, pattern, endpoint?}");
    }
    IgnoreRule.Kind kind = IgnoreRule.Kind.parse(String.valueOf(body.getValue("kind", "")));
    Object pattern = body.getValue("pattern");
    Object endpoint = body.getValue("endpoint");
    return recorder.addRule(kind, pattern == null ? null : pattern.toString(),
        endpoint == null ? null : endpoint.toString()).get();
  }

  private Object removeRule(RoutingContext ctx) throws ExecutionException, InterruptedException {
    long id = parseLong("id", ctx.pathParam("id"));
    if (!recorder.removeRule(id).get()) {
      throw new NotFound("no ignore rule " + id);
    }
    return Map.of("removed", id);
  }

  /** Builds and encodes the document on a worker; 400 for a bad parameter, 404, 500 otherwise. */
  private void respond(RoutingContext ctx, int status, Callable<Object> document) {
    workers.executeBlocking(() -> JSON.writeValueAsBytes(document.call()), false).onComplete(done -> {
      if (ctx.response().closed()) {
        return;
      }
      if (done.succeeded()) {
        ctx.response().setStatusCode(status).putHeader("content-type", JSON_TYPE)
            .putHeader("cache-control", "no-store").end(Buffer.buffer(done.result()));
        return;
      }
      Throwable failure = done.cause() instanceof ExecutionException ee && ee.getCause() != null
          ? ee.getCause() : done.cause();
      int code = failure instanceof NotFound ? 404 : failure instanceof IllegalArgumentException ? 400 : 500;
      if (code == 500) {
        LOG.warn("diff API {} failed", ctx.request().path(), failure);
      }
      String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
      ctx.response().setStatusCode(code).putHeader("content-type", JSON_TYPE)
          .end(new JsonObject().put("error", message).encode());
    });
  }

  private static Integer minutes(RoutingContext ctx) {
    String raw = ctx.request().getParam("minutes");
    if (raw == null || raw.isBlank()) {
      return null;
    }
    long value = parseLong("minutes", raw);
    if (value < 1 || value > 1440) {
      throw new InvalidValueException("minutes", raw, "1-1440");
    }
    return (int) value;
  }

  private static String required(RoutingContext ctx, String name) {
    String value = ctx.request().getParam(name);
    if (value == null || value.isBlank()) {
      throw new InvalidValueException(name, value, "a value");
    }
    return value;
  }

  private static long parseLong(String name, String raw) {
    try {
      return Long.parseLong(raw.trim());
    } catch (NumberFormatException e) {
      throw new InvalidValueException(name, raw, "an integer");
    }
  }

  private static Buffer resource(String name) {
    try (InputStream in = DiffRoutes.class.getClassLoader().getResourceAsStream(UI + name)) {
      if (in == null) {
        throw new IllegalStateException("missing dashboard asset " + UI + name);
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An unknown endpoint or rule: 404. */
  private static final class NotFound extends RuntimeException {
    NotFound(String message) {
      super(message, null, false, false);
    }
  }
}
