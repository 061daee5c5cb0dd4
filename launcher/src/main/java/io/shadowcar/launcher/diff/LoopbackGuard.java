package io.shadowcar.launcher.diff;

import io.vertx.core.Handler;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Lets an admin mutation through only from a loopback caller (127.0.0.0/8, ::1); anyone else gets 403. The admin port
 * has no token: binding it to loopback is the access control, and this guard keeps mutations local even when the port
 * is opened to a management network for reading.
 */
public final class LoopbackGuard implements Handler<RoutingContext> {

  @Override
  public void handle(RoutingContext ctx) {
    if (isLoopback(ctx.request().remoteAddress())) {
      ctx.next();
    } else {
      ctx.response().setStatusCode(403).putHeader("content-type", "application/json; charset=utf-8")
          .end("{\"error\":\"changes are accepted from loopback callers only\"}");
    }
  }

  static boolean isLoopback(SocketAddress address) {
    if (address == null || address.hostAddress() == null) {
      return false;
    }
    try {
      // A literal address, never a name: no lookup happens.
      return InetAddress.getByName(address.hostAddress()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
