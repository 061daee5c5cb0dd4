package io.shadowcar.launcher;

import io.shadowcar.testkit.backend.RecordingBackend;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** Shared set-up of the ITs that run the real jar: a temp dir, real backends, a loopback config on free ports. */
abstract class JarTestSupport {

  @TempDir Path dir;
  final Vertx vertx = Vertx.vertx();
  private final List<RecordingBackend> backends = new ArrayList<>();

  RecordingBackend backend(RecordingBackend.Responder responder) {
    RecordingBackend backend = RecordingBackend.start(vertx, responder);
    backends.add(backend);
    return backend;
  }

  /**
   * {@code sidecar.properties} with every port on a free loopback port and the state in the test's directory
   * ({@code data}, the same for every start of one test), plus {@code lines}.
   */
  Path config(String... lines) throws Exception {
    List<String> all = new ArrayList<>(List.of(
        "shadowcar.proxy.host=127.0.0.1", "shadowcar.proxy.port=0", "shadowcar.admin.port=0",
        "shadowcar.health.host=127.0.0.1", "shadowcar.health.port=0",
        "shadowcar.data.dir=" + dataDir()));
    all.addAll(List.of(lines));
    all.add("");
    return Files.writeString(dir.resolve("sidecar.properties"), String.join("\n", all));
  }

  /** Where the sidecars of this test keep their state. */
  Path dataDir() {
    return dir.resolve("data");
  }

  SidecarProcess launch(Path config, String... jvmArgs) throws Exception {
    return SidecarProcess.launch(dir, List.of(jvmArgs), "--config", config.toString());
  }

  @AfterEach
  void closeBackends() {
    backends.forEach(RecordingBackend::close);
    vertx.close().await();
  }
}
