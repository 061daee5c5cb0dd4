package io.shadowcar.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shadowcar.launcher.config.NetworkTransport;
import io.shadowcar.testkit.backend.RecordingBackend;
import io.vertx.core.transport.Transport;
import java.net.http.HttpResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The real jar says at start-up which network transport it runs on, and carries requests on each one this machine
 * has; one named in {@code shadowcar.transport} that the machine lacks stops the start with a line naming the key.
 * What is available is asked of the same Netty natives the jar ships, in this JVM.
 */
class NativeTransportIT extends JarTestSupport {

  /** Netty's own switch for its native transports makes both unavailable, as a forbidding kernel or profile would. */
  private static final String NO_NATIVE = "-Dio.netty.transport.noNative=true";
  private static final String NO_NATIVE_CAUSE = "Native transport was explicit disabled";

  private final RecordingBackend primary = backend((request, response) -> response.end("primary"));

  @Test
  void autoTakesIoUringWhereTheKernelAllowsItElseEpollAndSaysWhy() throws Exception {
    try (SidecarProcess sidecar = launch(config("shadowcar.primary.targets=" + primary.uri()))) {
      sidecar.awaitOutput("network transport ");
      String expected = Transport.IO_URING.available() ? "network transport io_uring;"
          : Transport.EPOLL.available() ? "network transport epoll (io_uring unavailable: "
          : "network transport nio (io_uring unavailable: ";
      assertTrue(sidecar.output().contains(expected), sidecar.output());
      assertTrue(sidecar.output().contains("MiB, "), "the heap limit is named: " + sidecar.output());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"io_uring", "epoll", "nio"})
  void aNamedTransportCarriesRequestsOrStopsTheStartWhereItIsMissing(String name) throws Exception {
    Transport transport = TransportChoice.vertxTransport(NetworkTransport.parse(name));
    try (SidecarProcess sidecar = launch(config("shadowcar.primary.targets=" + primary.uri(),
        "shadowcar.transport=" + name))) {
      if (!transport.available()) {
        assertEquals(1, sidecar.exitCode(), sidecar.output());
        assertTrue(sidecar.output().contains("shadowcar.transport=" + name + " cannot be used here"),
            sidecar.output());
        return;
      }
      sidecar.awaitOutput("network transport " + name + ";");
      sidecar.awaitOutput("shadowcar started");
      HttpResponse<String> answer = SidecarProcess.get("http://127.0.0.1:" + sidecar.proxyPort() + "/through");
      assertEquals(200, answer.statusCode());
      assertEquals("primary", answer.body());
      assertEquals("/through", primary.single().uri());
      sidecar.stopCleanly();
      assertFalse(sidecar.output().contains("\tat "), sidecar.output());
    }
  }

  @Test
  void autoFallsBackToNioWhereNoNativeTransportMayRunAndSaysWhy() throws Exception {
    try (SidecarProcess sidecar = launch(config("shadowcar.primary.targets=" + primary.uri()), NO_NATIVE)) {
      sidecar.awaitOutput("shadowcar started");
      assertTrue(sidecar.output().contains("network transport nio (io_uring unavailable: " + NO_NATIVE_CAUSE),
          sidecar.output());
      assertTrue(sidecar.output().contains("; epoll unavailable: " + NO_NATIVE_CAUSE), sidecar.output());
      HttpResponse<String> answer = SidecarProcess.get("http://127.0.0.1:" + sidecar.proxyPort() + "/through");
      assertEquals(200, answer.statusCode());
      assertEquals("primary", answer.body());
      sidecar.stopCleanly();
    }
  }

  @Test
  void aNamedTransportThatCannotRunStopsTheStartWithOneLineNamingTheKeyAndTheCause() throws Exception {
    try (SidecarProcess sidecar = launch(config("shadowcar.primary.targets=" + primary.uri(),
        "shadowcar.transport=io_uring"), NO_NATIVE)) {
      assertEquals(1, sidecar.exitCode(), sidecar.output());
      assertTrue(sidecar.output().contains("shadowcar.transport=io_uring cannot be used here (io_uring unavailable: "
          + NO_NATIVE_CAUSE), sidecar.output());
      assertFalse(sidecar.output().contains("\tat "), "one line, no stack trace: " + sidecar.output());
    }
  }
}
