package io.shadowcar.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --once}, {@code --dry} and template checks in {@code --check-config}, through the real jar. */
class TemplateCommandsIT {

  @TempDir Path dir;

  private Path config(Path source, Path target) throws Exception {
    return Files.writeString(dir.resolve("sidecar.properties"), String.join("\n",
        "shadowcar.primary.targets=http://127.0.0.1:9",
        "app.pool.size=12",
        "shadowcar.templates.app.source=" + source,
        "shadowcar.templates.app.target=" + target, ""));
  }

  @Test
  void onceRendersFromTheLayeredConfigAndDryWritesNothing() throws Exception {
    Path source = Files.writeString(dir.resolve("app.properties.template"),
        "pool.size=${app.pool.size}\nregion=${app.region:eu-west-1}\n");
    Path target = dir.resolve("out/app.properties");
    Path config = config(source, target);

    try (SidecarProcess dry = SidecarProcess.launch(dir, List.of("-Dapp.pool.size=20"), "--config",
        config.toString(), "--dry")) {
      assertEquals(0, dry.exitCode(), dry.output());
      assertTrue(dry.output().contains("pool.size=20"), dry.output());
      assertFalse(Files.exists(target));
    }
    try (SidecarProcess once = SidecarProcess.launch(dir, List.of(), "--config", config.toString(), "--once")) {
      assertEquals(0, once.exitCode(), once.output());
      assertEquals("pool.size=12\nregion=eu-west-1\n", Files.readString(target));
    }
  }

  @Test
  void checkConfigReportsAnUnreadableTemplate() throws Exception {
    Path config = config(dir.resolve("missing.template"), dir.resolve("out.properties"));
    try (SidecarProcess check = SidecarProcess.launch(dir, List.of(), "--config", config.toString(),
        "--check-config")) {
      assertEquals(1, check.exitCode(), check.output());
      assertTrue(check.output().contains("invalid config: ") && check.output().contains("missing.template"),
          check.output());
    }
  }
}
