package io.shadowcar.launcher.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker/Dockerfile without a Docker engine: the checks hadolint would make (pinned bases, no latest, a non-root
 * numeric USER, a HEALTHCHECK), that every COPY source exists in the repository or the build's output and is not
 * excluded by .dockerignore, and that the image runs with the JVM flags docs/operations.md documents.
 */
class DockerImageTest {

  private static final String DOCKERFILE = "docker/Dockerfile";
  private static final Pattern JAVA_OPTS = Pattern.compile("^JAVA_OPTS=\"([^\"]*)\"$");
  private final Dockerfile dockerfile = Dockerfile.parse(RepositoryFiles.read(DOCKERFILE));

  @Test
  void everyBaseImageIsPinnedToAVersion() {
    List<String> stages = new ArrayList<>();
    for (Dockerfile.Instruction from : dockerfile.all("FROM")) {
      String[] words = from.arguments().split("\\s+");
      String image = words[0];
      assertFalse(stages.contains(image), "FROM a stage: " + image);
      assertTrue(image.contains("@sha256:") || image.matches("[^:]+:[^:]*\\d[^:]*"), image + " has no version tag");
      assertFalse(image.endsWith(":latest"), image);
      if (words.length == 3 && words[1].equalsIgnoreCase("AS")) {
        stages.add(words[2]);
      }
    }
  }

  @Test
  void theImageRunsAsANumericNonRootUser() {
    List<Dockerfile.Instruction> users = dockerfile.finalStage("USER");
    assertFalse(users.isEmpty(), "no USER: the image would run as root");
    String user = users.get(users.size() - 1).arguments().split(":")[0];
    assertTrue(user.matches("\\d+"), "USER " + user + ": Kubernetes' runAsNonRoot needs a numeric user");
    assertNotEquals("0", user);
    String created = dockerfile.finalStage("RUN").stream().map(Dockerfile.Instruction::arguments)
        .filter(run -> run.contains("useradd")).findFirst().orElse("");
    assertTrue(created.contains("--uid " + user), "the user " + user + " is created: " + created);
  }

  @Test
  void theHealthCheckRunsAShippedCheckScriptOnReadiness() {
    List<Dockerfile.Instruction> checks = dockerfile.finalStage("HEALTHCHECK");
    assertEquals(1, checks.size());
    Matcher script = Pattern.compile("CMD (/opt/shadowcar/(scripts/checks/[\\w.-]+)) \"([^\"]+)\"")
        .matcher(checks.get(0).arguments());
    assertTrue(script.find(), checks.get(0).arguments());
    Path shipped = RepositoryFiles.file(script.group(2));
    assertTrue(Files.isExecutable(shipped), shipped + " is not an executable script");
    assertTrue(script.group(3).endsWith(":${SHADOWCAR_ADMIN_PORT:-7070}" + ProbeRoutesTest.READINESS),
        script.group(3));
    assertTrue(checks.get(0).arguments().endsWith("|| exit 1"), "Docker reads exit 1 as unhealthy, 2 is reserved");
  }

  @Test
  void everyCopySourceExistsAndIsInTheBuildContext() {
    List<String> ignored = RepositoryFiles.read(".dockerignore").lines().map(String::strip)
        .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
    for (Dockerfile.Instruction copy : dockerfile.all("COPY")) {
      List<String> words = new ArrayList<>(Arrays.asList(copy.arguments().split("\\s+")));
      String from = words.get(0).startsWith("--from=") ? words.remove(0).substring("--from=".length()) : null;
      for (String source : words.subList(0, words.size() - 1)) {
        if (from == null) {
          if (!source.equals(".")) {
            assertTrue(Files.exists(RepositoryFiles.file(source)), "COPY " + source + ": not in the repository");
            assertFalse(excluded(ignored, source), "COPY " + source + ": excluded by .dockerignore");
          }
        } else {
          assertEquals("build", from);
          assertEquals("/src/launcher/target/shadowcar.jar", source, "the only build output the image takes");
          assertTrue(RepositoryFiles.read("launcher/pom.xml").contains("<finalName>shadowcar</finalName>"),
              "the launcher's package step writes target/shadowcar.jar");
        }
      }
    }
    for (String needed : List.of("mvnw", ".mvn/wrapper/maven-wrapper.properties", "pom.xml", "launcher/pom.xml")) {
      assertFalse(excluded(ignored, needed), needed + " is needed by the build stage");
    }
    assertTrue(excluded(ignored, "launcher/target/shadowcar.jar"), "build output stays out of the context");
  }

  @Test
  void theImageRunsWithTheDocumentedJvmFlags() {
    Matcher running = Pattern.compile("```bash\\njava (.*?) \\\\\\n\\s*-jar shadowcar.jar", Pattern.DOTALL)
        .matcher(RepositoryFiles.read("docs/operations.md"));
    assertTrue(running.find(), "docs/operations.md, Running: the java command");
    assertEquals(running.group(1).strip(), imageJavaOpts());
    String entrypoint = dockerfile.finalStage("ENTRYPOINT").get(0).arguments();
    assertTrue(entrypoint.contains("exec java $JAVA_OPTS -jar /opt/shadowcar/shadowcar.jar"), entrypoint);
  }

  @Test
  void scriptsRunTheSidecarWithTheImagesJvmFlags() {
    String options = RepositoryFiles.read("scripts/jvm.options").lines()
        .filter(line -> !line.isBlank() && !line.startsWith("#")).collect(java.util.stream.Collectors.joining(" "));
    assertEquals(imageJavaOpts(), options, "scripts/jvm.options (the demo's and the benchmark's flags)");
    // the heap the default bounds want (HeapSizing: 64 MiB + maxBufferedBytes 64 MiB + diff queue 32 MiB)
    assertTrue(options.contains("-Xmx160m"), options);
  }

  /** The JVM flags the image sets in {@code JAVA_OPTS}. */
  static String imageJavaOpts() {
    Dockerfile dockerfile = Dockerfile.parse(RepositoryFiles.read(DOCKERFILE));
    for (Dockerfile.Instruction env : dockerfile.finalStage("ENV")) {
      Matcher matcher = JAVA_OPTS.matcher(env.arguments());
      if (matcher.matches()) {
        return matcher.group(1);
      }
    }
    throw new AssertionError("no ENV JAVA_OPTS in " + DOCKERFILE);
  }

  /** Docker's rule: a path is excluded when it or a directory above it matches a pattern ({@code **} any depth). */
  private static boolean excluded(List<String> patterns, String path) {
    Path relative = Path.of(path.endsWith("/") ? path.substring(0, path.length() - 1) : path);
    for (String pattern : patterns) {
      List<String> globs = pattern.startsWith("**/") ? List.of(pattern, pattern.substring(3)) : List.of(pattern);
      for (String glob : globs) {
        var matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        for (Path prefix = relative; prefix != null; prefix = prefix.getParent()) {
          if (matcher.matches(prefix)) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
