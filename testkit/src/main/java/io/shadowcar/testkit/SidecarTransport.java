package io.shadowcar.testkit;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;

/**
 * Vert.x on the network transport the sidecar takes by default ({@code shadowcar.transport=auto}): io_uring where this
 * machine allows it, else epoll, else NIO. Tests of code that runs on the sidecar's event loops use it, so they run on
 * what production runs on rather than on Vert.x's own default (NIO).
 */
public final class SidecarTransport {

  private SidecarTransport() {}

  /** The transport {@code auto} takes on this machine. */
  public static Transport transport() {
    return Transport.IO_URING.available() ? Transport.IO_URING
        : Transport.EPOLL.available() ? Transport.EPOLL : Transport.NIO;
  }

  public static Vertx vertx() {
    return vertx(new VertxOptions());
  }

  public static Vertx vertx(VertxOptions options) {
    return Vertx.builder().with(options).withTransport(transport()).build();
  }
}
