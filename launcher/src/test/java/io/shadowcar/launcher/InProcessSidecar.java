package io.shadowcar.launcher;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shadowcar.launcher.config.ConfigLoader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A sidecar in the test's JVM: every port on loopback and picked by the kernel, its data in a test directory. */
public final class InProcessSidecar {

  private InProcessSidecar() {}

  /** Writes {@code dir/sidecar.properties}: loopback ports, the data directory under {@code dir}, then {@code lines}. */
  public static Path config(Path dir, String... lines) throws IOException {
    List<String> all = new ArrayList<>(List.of(
        "shadowcar.proxy.host=127.0.0.1", "shadowcar.proxy.port=0",
        "shadowcar.admin.host=127.0.0.1", "shadowcar.admin.port=0",
        "shadowcar.health.host=127.0.0.1", "shadowcar.health.port=0",
        "shadowcar.data.dir=" + dir.resolve("data")));
    all.addAll(List.of(lines));
    all.add("");
    return Files.writeString(dir.resolve("sidecar.properties"), String.join("\n", all));
  }

  /** A started sidecar on {@code config}, metering into {@code registry}; the caller stops it. */
  public static Sidecar start(Path config, PrometheusMeterRegistry registry) throws Exception {
    Sidecar sidecar = new Sidecar(ConfigLoader.load(Optional.of(config), registry), registry);
    try {
      sidecar.start();
    } catch (Exception | Error e) {
      sidecar.stop();
      throw e;
    }
    return sidecar;
  }

  /** {@code GET http://127.0.0.1:port/path}, as a caller would send it. */
  public static HttpResponse<String> get(int port, String pathAndQuery) throws IOException, InterruptedException {
    return HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
            .timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
