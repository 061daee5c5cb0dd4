package io.shadowcar.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** A port held by another process stops the jar with one line naming the key, exit code 2 and no stack trace. */
class PortInUseIT extends JarTestSupport {

  @Test
  void namesTheAdminPortKeyWhenTheAdminPortIsTaken() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      SidecarProcess sidecar = launch(config("shadowcar.primary.targets=http://127.0.0.1:9",
          "shadowcar.admin.host=127.0.0.1", "shadowcar.admin.port=" + port));

      assertRefused(sidecar, "shadowcar.admin.port " + port + " is in use");
    }
  }

  @Test
  void namesTheHealthPortKeyWhenTheHealthPortIsTaken() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      SidecarProcess sidecar = launch(config("shadowcar.primary.targets=http://127.0.0.1:9",
          "shadowcar.health.port=" + port));

      assertRefused(sidecar, "shadowcar.health.port " + port + " is in use");
    }
  }

  @Test
  void namesTheProxyPortKeyWhenTheTrafficPortIsTaken() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      SidecarProcess sidecar = launch(config("shadowcar.primary.targets=http://127.0.0.1:9",
          "shadowcar.proxy.port=" + port));

      assertRefused(sidecar, "shadowcar.proxy.port " + port + " is in use");
    }
  }

  private static void assertRefused(SidecarProcess sidecar, String line) throws Exception {
    try (sidecar) {
      assertEquals(2, sidecar.exitCode(), sidecar.output());
      String output = sidecar.output();
      assertTrue(output.contains(line), output);
      assertFalse(output.contains("\tat "), "no stack trace:\n" + output);
      assertFalse(output.contains("Exception"), "no exception name:\n" + output);
    }
  }
}
