package io.shadowcar.launcher.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.shadowcar.launcher.LauncherMetrics;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The first handler of an admin router: every request must name a host the port answers ({@link AdminAccess}), no
 * browser may call it from another site, and a mutation (any method but GET, HEAD, OPTIONS) needs the admin token
 * ({@code Authorization: Bearer TOKEN}) or, when the port is bound to loopback (or has no token, as the fleet
 * dashboard), a loopback caller. No CORS header is ever sent, so a browser never lets another site read an answer.
 *
 * <p>Refusals: 403 for a foreign host or a cross-site call, 401 for a missing or wrong token, 403 for a remote caller
 * where only local ones may change things; each counted in {@code shadowcar_admin_refused_total{reason}}.
 */
public final class AdminGuard implements Handler<RoutingContext> {

  /** Why a request was refused: the {@code reason} tag. */
  public enum Refusal {
    HOST("host"), CROSS_ORIGIN("cross_origin"), TOKEN("token"), NOT_LOCAL("not_local");

    private final String tag;

    Refusal(String tag) {
      this.tag = tag;
    }

    public String tag() {
      return tag;
    }
  }

  private static final String BEARER = "bearer ";

  private final AdminAccess access;
  private final Map<Refusal, Counter> refused = new EnumMap<>(Refusal.class);

  public AdminGuard(AdminAccess access, MeterRegistry registry) {
    this.access = access;
    for (Refusal refusal : Refusal.values()) {
      refused.put(refusal, Counter.builder(LauncherMetrics.ADMIN_REFUSED).tag("reason", refusal.tag())
          .description("Requests the admin port refused, by reason").register(registry));
    }
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    HostAndPort authority = request.authority();
    String named = authority != null ? authority.host() : request.getHeader("Host");
    // no Host at all is an HTTP/1.0 tool, never a browser; a Host that does not parse is refused like a foreign one
    if (named != null && (authority == null || !access.answers(named))) {
      refuse(ctx, 403, Refusal.HOST, "host not allowed: " + named
          + " (call it by a loopback name or address, or add the name to shadowcar.admin.allowedHosts)");
      return;
    }
    if (crossSite(request, authority)) {
      refuse(ctx, 403, Refusal.CROSS_ORIGIN, "cross-origin requests are refused");
      return;
    }
    if (isMutation(request.method())) {
      authorize(ctx);
      return;
    }
    ctx.next();
  }

  private void authorize(RoutingContext ctx) {
    String authorization = ctx.request().getHeader("Authorization");
    if (authorization != null) {
      if (authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
          && access.tokenMatches(authorization.substring(BEARER.length()).trim())) {
        ctx.next();
      } else {
        unauthorized(ctx, "the admin token does not match");
      }
      return;
    }
    boolean local = Loopback.isLoopback(ctx.request().remoteAddress());
    if (local && (access.loopbackBound() || !access.hasToken())) {
      ctx.next();
    } else if (access.hasToken()) {
      unauthorized(ctx, "changes need the admin token (Authorization: Bearer ...)");
    } else {
      refuse(ctx, 403, Refusal.NOT_LOCAL, "changes are accepted from loopback callers only");
    }
  }

  private void unauthorized(RoutingContext ctx, String message) {
    ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"shadowcar-admin\"");
    refuse(ctx, 401, Refusal.TOKEN, message);
  }

  /**
   * A browser call from another origin: an {@code Origin} that is not this host and port, or a
   * {@code Sec-Fetch-Site} other than {@code same-origin}/{@code none} (a top-level GET navigation excepted, so a link
   * to the admin page still opens it). Clients that are not browsers send neither header.
   */
  static boolean crossSite(HttpServerRequest request, HostAndPort authority) {
    String origin = request.getHeader("Origin");
    if (origin != null && !sameOrigin(origin, authority)) {
      return true;
    }
    String site = request.getHeader("Sec-Fetch-Site");
    if (site == null || site.equalsIgnoreCase("same-origin") || site.equalsIgnoreCase("none")) {
      return false;
    }
    boolean navigation = "navigate".equalsIgnoreCase(request.getHeader("Sec-Fetch-Mode"))
        && (request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD);
    return !navigation;
  }

  private static boolean sameOrigin(String origin, HostAndPort authority) {
    if (authority == null) {
      return false;
    }
    try {
      URI uri = new URI(origin.trim());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (uri.getHost() == null || !(scheme.equals("http") || scheme.equals("https"))) {
        return false; // "null" (sandboxed, file:) and anything odd
      }
      int originPort = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
      int hostPort = authority.port() >= 0 ? authority.port() : 80;
      return Loopback.bare(uri.getHost()).equalsIgnoreCase(Loopback.bare(authority.host())) && originPort == hostPort;
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  private static boolean isMutation(HttpMethod method) {
    return method != HttpMethod.GET && method != HttpMethod.HEAD && method != HttpMethod.OPTIONS;
  }

  private void refuse(RoutingContext ctx, int status, Refusal refusal, String message) {
    refused.get(refusal).increment();
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-store").end(new JsonObject().put("error", message).encode());
  }
}
