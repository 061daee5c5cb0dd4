package io.shadowcar.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --check-config}, {@code --help} and bad arguments, through the real jar. */
class CheckConfigIT {

  @TempDir Path dir;

  @Test
  void exitsZeroForAValidConfig() throws Exception {
    Path config = Files.writeString(dir.resolve("ok.properties"), "shadowcar.primary.targets=http://127.0.0.1:8081\n");
    try (SidecarProcess run = SidecarProcess.launch(dir, List.of(), "--config", config.toString(), "--check-config")) {
      assertEquals(0, run.exitCode(), run.output());
      assertTrue(run.output().contains("config OK"), run.output());
    }
  }

  @Test
  void exitsNonZeroWithOneLinePerBadKey() throws Exception {
    Path config = Files.writeString(dir.resolve("bad.properties"), String.join("\n",
        "shadowcar.primary.targets=http://127.0.0.1:8081",
        "shadowcar.shadow.maxInflight=abc",
        "shadowcar.shadow.sample.percent=101",
        "shadowcar.shadow.enabled=maybe", ""));
    try (SidecarProcess run = SidecarProcess.launch(dir, List.of(), "--config", config.toString(), "--check-config")) {
      assertEquals(1, run.exitCode(), run.output());
      List<String> problems = run.output().lines().filter(l -> l.startsWith("invalid config: ")).toList();
      assertEquals(List.of(
          "invalid config: shadowcar.shadow.enabled: 'maybe' (expected: true or false)",
          "invalid config: shadowcar.shadow.maxInflight: 'abc' (expected: integer 1-100000)",
          "invalid config: shadowcar.shadow.sample.percent: '101' (expected: number 0-100)"),
          problems.stream().sorted().toList());
    }
  }

  @Test
  void refusesAnAdminPortOffLoopbackWithoutATokenAndNeverPrintsASecret() throws Exception {
    Path config = Files.writeString(dir.resolve("open.properties"), String.join("\n",
        "shadowcar.primary.targets=http://127.0.0.1:8081",
        "shadowcar.admin.host=0.0.0.0",
        "shadowcar.shadow.kafka.bootstrapp=PlainLoginModule required password=\"kafka-s3cret\";", ""));
    try (SidecarProcess run = SidecarProcess.launch(dir, List.of(), "--config", config.toString(), "--check-config")) {
      assertEquals(1, run.exitCode(), run.output());
      assertTrue(run.output().contains("invalid config: shadowcar.admin.token: missing (expected: an admin token "
          + "(shadowcar.admin.token or shadowcar.admin.tokenFile) because shadowcar.admin.host 0.0.0.0 is not "
          + "loopback"), run.output());
      assertTrue(run.output().contains("invalid config: shadowcar.shadow.kafka.bootstrapp: 'PlainLoginModule "
          + "required password=\"******\";'"), "an unknown key's value is shown masked: " + run.output());
      assertFalse(run.output().contains("kafka-s3cret"), run.output());
    }
  }

  @Test
  void systemPropertiesOverrideTheFile() throws Exception {
    Path config = Files.writeString(dir.resolve("ok.properties"), "shadowcar.primary.targets=http://127.0.0.1:8081\n");
    try (SidecarProcess run = SidecarProcess.launch(dir, List.of("-Dshadowcar.shadow.maxInflight=0"),
        "--config", config.toString(), "--check-config")) {
      assertEquals(1, run.exitCode(), run.output());
      assertTrue(run.output().contains(
          "invalid config: shadowcar.shadow.maxInflight: '0' (expected: integer 1-100000)"),
          run.output());
    }
  }

  @Test
  void refusesToStartWhenTheDynamicFileSetsACheckScript() throws Exception {
    Path planted = dir.resolve("planted");
    Path dynamic = Files.writeString(dir.resolve("dynamic.properties"),
        "shadowcar.shadow.sample.percent=5\nshadowcar.checks.x.script=/bin/touch " + planted + "\n");
    Path config = Files.writeString(dir.resolve("ok.properties"), String.join("\n",
        "shadowcar.primary.targets=http://127.0.0.1:8081",
        "shadowcar.proxy.port=0",
        "shadowcar.admin.port=0",
        "shadowcar.health.host=127.0.0.1",
        "shadowcar.health.port=0",
        "shadowcar.data.dir=" + dir.resolve("data"),
        "shadowcar.config.dynamic.file=" + dynamic, ""));
    try (SidecarProcess run = SidecarProcess.launch(dir, List.of(), "--config", config.toString())) {
      assertEquals(1, run.exitCode(), run.output());
      assertEquals(List.of("invalid config: shadowcar.checks.x.script: '/bin/touch " + planted + "' (expected: set in "
              + "the --config file: the dynamic source " + dynamic + " may set only runtime keys)"),
          run.output().lines().filter(l -> l.startsWith("invalid config: ")).toList());
      assertTrue(Files.notExists(planted));
    }
  }

  @Test
  void refusesToStartWithAMissingConfigFile() throws Exception {
    try (SidecarProcess run = SidecarProcess.launch(dir, List.of(), "--config", dir.resolve("nope").toString())) {
      assertEquals(1, run.exitCode(), run.output());
      assertTrue(run.output().contains("invalid config: --config:"), run.output());
    }
  }

  @Test
  void printsUsageForHelpAndForUnknownArguments() throws Exception {
    try (SidecarProcess help = SidecarProcess.launch(dir, List.of(), "--help");
        SidecarProcess wrong = SidecarProcess.launch(dir, List.of(), "--frobnicate")) {
      assertEquals(0, help.exitCode());
      assertTrue(help.output().contains("--check-config"), help.output());
      assertEquals(2, wrong.exitCode());
      assertTrue(wrong.output().contains("unknown argument: --frobnicate"), wrong.output());
    }
  }
}
