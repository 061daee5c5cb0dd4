package io.shadowcar.launcher;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The real jar says at start-up which network transport it runs on: epoll wherever the jar ships it. */
class NativeTransportIT extends JarTestSupport {

  /** The platforms whose native transport the jar carries. */
  private static boolean linuxX86_64() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch");
    return os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64"));
  }

  @Test
  void runsOnEpollOnLinuxX86AndSaysWhichTransportItUses() throws Exception {
    try (SidecarProcess sidecar = launch(config("shadowcar.primary.targets=http://127.0.0.1:9"))) {
      sidecar.awaitOutput("network transport ");
      String expected = linuxX86_64() ? "network transport native (epoll)" : "network transport NIO (epoll unavailable";
      assertTrue(sidecar.output().contains(expected), sidecar.output());
      assertTrue(sidecar.output().contains("MiB, "), "the heap limit is named: " + sidecar.output());
    }
  }
}
