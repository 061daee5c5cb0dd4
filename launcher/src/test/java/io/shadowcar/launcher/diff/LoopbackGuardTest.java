package io.shadowcar.launcher.diff;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.api.Test;

class LoopbackGuardTest {

  @Test
  void acceptsLoopbackCallersOnly() {
    assertTrue(LoopbackGuard.isLoopback(SocketAddress.inetSocketAddress(40000, "127.0.0.1")));
    assertTrue(LoopbackGuard.isLoopback(SocketAddress.inetSocketAddress(40000, "127.8.9.10")));
    assertTrue(LoopbackGuard.isLoopback(SocketAddress.inetSocketAddress(40000, "::1")));
    assertFalse(LoopbackGuard.isLoopback(SocketAddress.inetSocketAddress(40000, "10.1.2.3")));
    assertFalse(LoopbackGuard.isLoopback(SocketAddress.inetSocketAddress(40000, "192.168.0.7")));
    assertFalse(LoopbackGuard.isLoopback(SocketAddress.domainSocketAddress("/tmp/admin.sock")));
    assertFalse(LoopbackGuard.isLoopback(null));
  }
}
