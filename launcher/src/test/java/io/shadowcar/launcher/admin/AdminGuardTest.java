package io.shadowcar.launcher.admin;

import static io.shadowcar.launcher.RawHttp.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shadowcar.launcher.LauncherMetrics;
import io.shadowcar.launcher.RawHttp;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The admin guard in front of a real router on 127.0.0.1, called over raw sockets so every header (Host included) is
 * exactly what a browser or an attacker would send. A port "bound to every interface" is the guard configured as for
 * {@code 0.0.0.0} while the test server itself stays on loopback.
 */
class AdminGuardTest {

  private static final String TOKEN = "s3cret-admin-token";

  private final Vertx vertx = Vertx.vertx();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private int port;

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private void serve(AdminAccess access) {
    Router router = Router.router(vertx);
    router.route().handler(new AdminGuard(access, registry));
    router.get("/thing").handler(ctx -> ctx.response().end("read"));
    router.put("/thing").handler(ctx -> ctx.response().end("changed"));
    router.post("/thing").handler(ctx -> ctx.response().end("changed"));
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    port = server.actualPort();
  }

  /** The whole answer to {@code method /thing} with exactly {@code headers}. */
  private String call(String method, String host, String... headers) {
    return RawHttp.call(port, method, "/thing", host, headers);
  }

  private double refused(AdminGuard.Refusal reason) {
    return registry.get(LauncherMetrics.ADMIN_REFUSED).tag("reason", reason.tag()).counter().count();
  }

  @Test
  void answersLoopbackNamesAndRefusesANameADnsRebindingPageWouldSend() {
    serve(AdminAccess.of("127.0.0.1", Optional.empty(), List.of()));
    assertEquals(200, status(call("GET", "127.0.0.1:" + port)));
    assertEquals(200, status(call("GET", "localhost:" + port)));
    assertEquals(200, status(call("GET", "[::1]:" + port)));
    assertEquals(200, status(call("PUT", "localhost:" + port)), "a loopback caller of a loopback port may change");
    String rebound = call("PUT", "attacker.example:" + port);
    assertEquals(403, status(rebound), rebound);
    assertTrue(rebound.contains("host not allowed: attacker.example"), rebound);
    assertEquals(403, status(call("GET", "attacker.example")), "reading is refused too: /api/config");
    assertEquals(400, status(call("PUT", "127.0.0.1:notaport")), "a Host that does not parse never gets through");
    assertEquals(2, refused(AdminGuard.Refusal.HOST));
  }

  @Test
  void refusesCrossSiteBrowserCallsButLetsALinkOpenThePage() {
    serve(AdminAccess.of("127.0.0.1", Optional.empty(), List.of()));
    String host = "127.0.0.1:" + port;
    assertEquals(403, status(call("POST", host, "Origin: http://attacker.example")));
    assertEquals(403, status(call("POST", host, "Origin: null")));
    assertEquals(403, status(call("PUT", host, "Origin: http://127.0.0.1:" + (port + 1))), "another port");
    assertEquals(403, status(call("PUT", host, "Sec-Fetch-Site: same-site", "Sec-Fetch-Mode: cors")));
    assertEquals(403, status(call("GET", host, "Sec-Fetch-Site: cross-site", "Sec-Fetch-Mode: cors")));
    assertEquals(200, status(call("PUT", host, "Origin: http://127.0.0.1:" + port, "Sec-Fetch-Site: same-origin")));
    assertEquals(200, status(call("GET", host, "Sec-Fetch-Site: cross-site", "Sec-Fetch-Mode: navigate")));
    assertEquals(200, status(call("GET", host, "Sec-Fetch-Site: none", "Sec-Fetch-Mode: navigate")));
    assertEquals(5, refused(AdminGuard.Refusal.CROSS_ORIGIN));
  }

  @Test
  void offLoopbackEveryChangeNeedsTheTokenEvenFromThisMachine() {
    serve(AdminAccess.of("0.0.0.0", Optional.of(TOKEN), List.of()));
    String host = "127.0.0.1:" + port;
    assertEquals(200, status(call("GET", host)), "reading needs no token");
    String missing = call("PUT", host);
    assertEquals(401, status(missing), missing);
    assertTrue(missing.contains("WWW-Authenticate: Bearer") || missing.toLowerCase().contains("www-authenticate: bearer"),
        missing);
    assertEquals(401, status(call("PUT", host, "Authorization: Bearer wrong")));
    assertEquals(401, status(call("PUT", host, "Authorization: Basic " + TOKEN)));
    assertEquals(401, status(call("PUT", host, "Authorization: Bearer " + TOKEN + "x")));
    assertEquals(200, status(call("PUT", host, "Authorization: Bearer " + TOKEN)));
    assertEquals(200, status(call("POST", host, "Authorization: bearer " + TOKEN)));
    assertEquals(4, refused(AdminGuard.Refusal.TOKEN));
  }

  @Test
  void aTokenOnALoopbackPortIsOptionalForLocalCallersButAWrongOneIsRefused() {
    serve(AdminAccess.of("127.0.0.1", Optional.of(TOKEN), List.of()));
    String host = "localhost:" + port;
    assertEquals(200, status(call("PUT", host)));
    assertEquals(200, status(call("PUT", host, "Authorization: Bearer " + TOKEN)));
    assertEquals(401, status(call("PUT", host, "Authorization: Bearer guess")));
  }

  @Test
  void onEveryInterfaceItAnswersConfiguredNamesAndRefusesOthers() {
    serve(AdminAccess.of("0.0.0.0", Optional.of(TOKEN), List.of("admin.internal", "Ops.Example")));
    assertEquals(200, status(call("GET", "admin.internal:" + port)));
    assertEquals(200, status(call("GET", "ops.example")));
    assertEquals(403, status(call("GET", "admin.internal.attacker.example:" + port)));
    assertEquals(403, status(call("GET", "192.0.2.1:" + port)), "an address this machine does not have");
  }
}
