package io.shadowcar.health.api;

import io.shadowcar.health.CheckStatus;
import io.shadowcar.health.HealthAgent;
import io.shadowcar.health.HealthSnapshot;
import io.shadowcar.health.OutOfServiceReason;
import io.shadowcar.health.TtlUpdate;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * The health part of the admin port: {@code GET /healthcheck}, {@code GET /ready}, {@code GET /api/checks},
 * {@code GET /api/status}, {@code PUT /api/status?value=UP|OUT_OF_SERVICE},
 * {@code PUT /api/checks/NAME/pass|warn|fail?note=...} (TTL checks only) and the status page.
 *
 * <p>Every handler serves the agent's cached state; none runs a check. The PUT routes are operator actions: mount
 * them ({@link #mountMutations}) on the admin router only, behind its guard; {@link #mountReadOnly} is what a health
 * port for load balancers serves. Nothing here can define or change a check (scripts come from local config only).
 */
public final class HealthRoutes {

  /** Where {@link #mount(Router)} puts the page unless told otherwise. */
  public static final String DEFAULT_PAGE_PATH = "/";

  private static final String JSON = "application/json";
  private final HealthAgent agent;
  private final int warningStatusCode;
  private final Buffer page;

  public HealthRoutes(HealthAgent agent) {
    this.agent = Objects.requireNonNull(agent, "agent");
    this.warningStatusCode = agent.config().warningStatusCode();
    this.page = loadPage();
  }

  /** Mounts every route, the page at {@code /}. */
  public void mount(Router router) {
    mount(router, DEFAULT_PAGE_PATH);
  }

  /** Mounts every route, the page at {@code pagePath} (e.g. {@code /health} when {@code /} is the dashboard's). */
  public void mount(Router router, String pagePath) {
    mountReadOnly(router, pagePath);
    mountMutations(router);
  }

  /**
   * Mounts the routes that only read: {@code /healthcheck}, {@code /ready} (GET and HEAD), {@code GET /api/checks},
   * {@code GET /api/status} and the page at {@code pagePath}. What a load balancer or Eureka needs, safe to serve
   * on every interface.
   */
  public void mountReadOnly(Router router, String pagePath) {
    // HEAD too: some load balancers probe with it (Vert.x sends the headers only).
    router.get("/healthcheck").handler(this::healthcheck);
    router.head("/healthcheck").handler(this::healthcheck);
    router.get("/ready").handler(this::ready);
    router.head("/ready").handler(this::ready);
    router.get("/api/checks").handler(ctx -> ctx.response().putHeader("Content-Type", JSON)
        .end(HealthJson.checks(agent).encode()));
    router.get("/api/status").handler(ctx -> ctx.response().putHeader("Content-Type", JSON)
        .end(HealthJson.status(agent).encode()));
    router.get(pagePath).handler(ctx -> ctx.response()
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .end(page));
  }

  /**
   * Mounts the operator actions, {@code PUT /api/status} and {@code PUT /api/checks/NAME/RESULT}: only on a router
   * whose first handler checks who is asking (the admin port's guard).
   */
  public void mountMutations(Router router) {
    router.put("/api/status").handler(this::setStatus);
    router.put("/api/checks/:name/:result").handler(this::ttl);
  }

  private void healthcheck(RoutingContext ctx) {
    HealthSnapshot snapshot = agent.current();
    int code = statusCode(snapshot);
    ctx.response().setStatusCode(code).putHeader("Cache-Control", "no-store");
    if ("text".equals(ctx.request().getParam("format"))) {
      ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8")
          .end(HealthJson.effectiveStatus(snapshot) + "\n");
    } else {
      ctx.response().putHeader("Content-Type", JSON).end(HealthJson.health(agent).encode());
    }
  }

  /** 200 passing, 429 (or 200, configured) warning, 503 critical, not ready or out of service. */
  int statusCode(HealthSnapshot snapshot) {
    if (!snapshot.ready() || snapshot.outOfService()) {
      return 503;
    }
    return switch (snapshot.aggregate()) {
      case PASSING -> 200;
      case WARNING -> warningStatusCode;
      case CRITICAL -> 503;
    };
  }

  private void ready(RoutingContext ctx) {
    HealthSnapshot snapshot = agent.current();
    boolean ready = snapshot.ready() && !snapshot.outOfService();
    String reason = ready ? "ready"
        : agent.outOfServiceReasons().contains(OutOfServiceReason.SHUTTING_DOWN) ? "shutting down"
        : snapshot.outOfService() ? "out of service" : "waiting for every check to reach its pass streak";
    ctx.response().setStatusCode(ready ? 200 : 503).putHeader("Content-Type", JSON)
        .putHeader("Cache-Control", "no-store")
        .end(new JsonObject().put("ready", ready).put("reason", reason)
            .put("instanceStatus", snapshot.instanceStatus().name()).encode());
  }

  private void setStatus(RoutingContext ctx) {
    String value = ctx.request().getParam("value");
    if ("OUT_OF_SERVICE".equals(value)) {
      agent.setOperatorOutOfService(true);
    } else if ("UP".equals(value)) {
      agent.setOperatorOutOfService(false);
    } else {
      error(ctx, 400, "value: " + value + " (expected: UP or OUT_OF_SERVICE)");
      return;
    }
    ctx.response().putHeader("Content-Type", JSON).end(HealthJson.status(agent).encode());
  }

  private void ttl(RoutingContext ctx) {
    CheckStatus status = switch (ctx.pathParam("result")) {
      case "pass" -> CheckStatus.PASSING;
      case "warn" -> CheckStatus.WARNING;
      case "fail" -> CheckStatus.CRITICAL;
      default -> null;
    };
    if (status == null) {
      error(ctx, 404, "expected: /api/checks/NAME/pass|warn|fail");
      return;
    }
    String name = ctx.pathParam("name");
    TtlUpdate update = agent.updateTtl(name, status, ctx.request().getParam("note"));
    switch (update) {
      case ACCEPTED -> ctx.response().putHeader("Content-Type", JSON)
          .end(new JsonObject().put("check", name).put("result", status.label()).encode());
      case UNKNOWN_CHECK -> error(ctx, 404, "no check named " + name);
      case NOT_A_TTL_CHECK -> error(ctx, 409, name + " is not a TTL check");
    }
  }

  private static void error(RoutingContext ctx, int code, String message) {
    ctx.response().setStatusCode(code).putHeader("Content-Type", JSON)
        .end(new JsonObject().put("error", message).encode());
  }

  private static Buffer loadPage() {
    try (InputStream in = HealthRoutes.class.getResourceAsStream("status-page.html")) {
      if (in == null) {
        throw new IllegalStateException("status-page.html missing from the health jar");
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
