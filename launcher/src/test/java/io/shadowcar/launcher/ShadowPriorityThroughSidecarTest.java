package io.shadowcar.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shadowcar.common.concurrent.BackgroundPriority;
import io.shadowcar.testkit.backend.RecordingBackend;
import io.shadowcar.testkit.tls.TestCertificates;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sidecar in-process with an {@code https://} shadow and shadow work at nice 5. The HTTP sink's own loop runs at
 * that priority and hands Vert.x's internal blocking pool the copy's TLS set-up; that pool's threads, which also do
 * the proxy's TLS and file work, must keep the process's priority (a thread inherits its creator's).
 */
class ShadowPriorityThroughSidecarTest {

  @TempDir Path dir;
  private final Vertx vertx = Vertx.vertx();
  private final TestCertificates ca = TestCertificates.authority("shadow test CA");
  private final RecordingBackend primary = RecordingBackend.start(vertx, RecordingBackend.Responder.ok());
  private final RecordingBackend shadow = RecordingBackend.startTls(vertx, ca.issue("127.0.0.1"),
      RecordingBackend.Responder.ok());

  @AfterEach
  void close() {
    primary.close();
    shadow.close();
    vertx.close().await();
  }

  @Test
  void anHttpsShadowsTlsSetUpLeavesVertxsInternalBlockingThreadsAtTheProcesssPriority() throws Exception {
    OptionalInt ours = BackgroundPriority.currentThreadNice();
    assertTrue(ours.isPresent(), "precondition: Linux with /proc mounted");
    assertTrue(ours.getAsInt() < 5, "precondition: the tests run below nice 5");
    Path config = InProcessSidecar.config(dir,
        "shadowcar.primary.targets=" + primary.uri(),
        "shadowcar.shadow.targets=https://127.0.0.1:" + shadow.port(),
        "shadowcar.shadow.tls.caFile=" + ca.writeCertificate(dir.resolve("ca.pem")),
        "shadowcar.shadow.threadNice=5");
    Sidecar sidecar = InProcessSidecar.start(config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    try {
      HttpResponse<String> answer = InProcessSidecar.get(sidecar.proxyPort(), "/orders/1");
      assertEquals(200, answer.statusCode());
      await().atMost(Duration.ofSeconds(30)).until(() -> shadow.requests().size() == 1);

      // the kernel cuts thread names to 15 characters: these are shadowcar-shadow-loop-N, vert.x-internal-blocking-N
      Map<String, List<Integer>> nice = niceByThreadName();
      assertTrue(nice.getOrDefault("shadowcar-shado", List.of()).contains(5),
          "the copy went through the sink's lowered loop: " + nice);
      List<Integer> internal = nice.getOrDefault("vert.x-internal", List.of());
      assertFalse(internal.isEmpty(), nice.toString());
      assertEquals(List.of(ours.getAsInt()), internal.stream().distinct().toList(), nice.toString());
    } finally {
      sidecar.stop();
    }
  }

  /** The nice value of each thread of this process, by its name as the kernel keeps it (15 characters at most). */
  private static Map<String, List<Integer>> niceByThreadName() throws IOException {
    Map<String, List<Integer>> nice = new TreeMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        OptionalInt value = BackgroundPriority.threadNice(task);
        String comm;
        try {
          comm = Files.readString(task.resolve("comm"), StandardCharsets.UTF_8).strip();
        } catch (IOException exited) {
          continue;
        }
        if (value.isEmpty()) {
          continue; // ended before its stat was read
        }
        nice.computeIfAbsent(comm, name -> new ArrayList<>()).add(value.getAsInt());
      }
    }
    return nice;
  }
}
