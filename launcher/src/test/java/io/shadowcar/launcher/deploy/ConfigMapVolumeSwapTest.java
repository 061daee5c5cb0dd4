package io.shadowcar.launcher.deploy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shadowcar.launcher.config.ConfigLoader;
import io.shadowcar.launcher.config.LiveConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ConfigMap update reaches the running sidecar the way the kubelet delivers it: the mounted directory holds a
 * timestamped data directory, a {@code ..data} symlink to it and one symlink per key; an update writes a new data
 * directory and renames a new {@code ..data} over the old one. The poller re-opens the key's path and follows.
 */
class ConfigMapVolumeSwapTest {

  @TempDir Path dir;

  @Test
  void aSwappedDataDirectoryIsAppliedWithoutARestart() throws IOException {
    Path mount = Files.createDirectory(dir.resolve("dynamic"));
    writeVersion(mount, "..2026_01_01_00_00_00.1", "shadowcar.shadow.sample.percent=10\n");
    Files.createSymbolicLink(mount.resolve("dynamic.properties"), Path.of("..data/dynamic.properties"));
    Path config = Files.writeString(dir.resolve("shadowcar.properties"), String.join("\n",
        "shadowcar.primary.targets=http://127.0.0.1:1",
        "shadowcar.data.dir=" + dir.resolve("data"),
        "shadowcar.config.dynamic.file=" + mount.resolve("dynamic.properties"),
        "shadowcar.config.dynamic.pollSeconds=1", ""));

    try (LiveConfig live = ConfigLoader.load(Optional.of(config), new SimpleMeterRegistry())) {
      assertEquals(10.0, live.current().tee().samplePercent());

      writeVersion(mount, "..2026_01_01_00_01_00.2", "shadowcar.shadow.sample.percent=25\n");

      await().atMost(Duration.ofSeconds(30)).until(() -> live.current().tee().samplePercent() == 25.0);
    }
  }

  /** What the kubelet's atomic writer does: a new data directory, then {@code ..data} renamed over the old link. */
  private static void writeVersion(Path mount, String version, String content) throws IOException {
    Path data = Files.createDirectory(mount.resolve(version));
    Files.writeString(data.resolve("dynamic.properties"), content);
    Path next = Files.createSymbolicLink(mount.resolve("..data_tmp"), Path.of(version));
    Files.move(next, mount.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
