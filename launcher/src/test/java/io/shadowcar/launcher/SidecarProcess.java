package io.shadowcar.launcher;

import static org.awaitility.Awaitility.await;

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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The real {@code shadowcar.jar} run as a child process, its output captured in a file. */
final class SidecarProcess implements AutoCloseable {

  private static final Pattern ADMIN = Pattern.compile("admin listening on https?://[^:]+:(\\d+)");
  private static final Pattern HEALTH = Pattern.compile("health port listening on http://[^:]+:(\\d+)");
  private static final Pattern PROXY = Pattern.compile("proxy listening on https?://[^:]+:(\\d+)");
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Pattern KEPT_LIBRARY = Pattern.compile("sqlite-[0-9.]+-[0-9a-f]{8}-libsqlitejdbc\\.so");

  private final Process process;
  private final Path output;
  private final Path tmpdir;

  private SidecarProcess(Process process, Path output, Path tmpdir) {
    this.process = process;
    this.output = output;
    this.tmpdir = tmpdir;
  }

  static Path jar() {
    return Path.of(System.getProperty("test.sidecar.jar", "target/shadowcar.jar"));
  }

  /**
   * Runs {@code java [jvmArgs] -jar shadowcar.jar [args]} without waiting, with a {@code java.io.tmpdir} of its own
   * under {@code dir}, in which {@link #stopCleanly} checks nothing is left but the kept SQLite library.
   */
  static SidecarProcess launch(Path dir, List<String> jvmArgs, String... args) throws IOException {
    return launchWithTmpdir(dir, Files.createTempDirectory(dir, "java-tmp"), jvmArgs, args);
  }

  /** {@link #launch} with the given {@code java.io.tmpdir}, as a restart on the same host would find it. */
  static SidecarProcess launchWithTmpdir(Path dir, Path tmpdir, List<String> jvmArgs, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-Djava.io.tmpdir=" + tmpdir);
    command.addAll(jvmArgs);
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(List.of(args));
    Path output = Files.createTempFile(dir, "sidecar", ".log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    return new SidecarProcess(process, output, tmpdir);
  }

  /** Runs to completion and returns the exit code. */
  int exitCode() throws InterruptedException {
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("shadowcar did not exit; output:\n" + output());
    }
    return process.exitValue();
  }

  String output() {
    try {
      return Files.readString(output);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Waits for the admin port to be bound and returns it. */
  int adminPort() {
    return port(ADMIN);
  }

  /** Waits for the health port to be bound and returns it. */
  int healthPort() {
    return port(HEALTH);
  }

  /** Waits for the traffic port to be bound and returns it. */
  int proxyPort() {
    return port(PROXY);
  }

  private int port(Pattern line) {
    return await().atMost(Duration.ofMinutes(1)).until(() -> {
      if (!process.isAlive()) {
        throw new AssertionError("shadowcar exited with " + process.exitValue() + ":\n" + output());
      }
      Matcher m = line.matcher(output());
      return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }, port -> port > 0);
  }

  /** Waits for a line containing {@code text}. */
  void awaitOutput(String text) {
    await().atMost(Duration.ofMinutes(1)).until(() -> output().contains(text));
  }

  void sigterm() {
    process.destroy(); // SIGTERM on Unix
  }

  /**
   * Sends SIGTERM, waits for exit code 0 and asserts that the shutdown logged no WARN or ERROR line (on a clean stop
   * every line is expected, so none may alarm an operator) and left nothing in the temporary directory but the SQLite
   * library every start reuses ({@link #filesLeft}).
   */
  void stopCleanly() throws InterruptedException {
    int before = output().length();
    sigterm();
    int code = exitCode();
    String shutdown = output().substring(before);
    if (code != 0) {
      throw new AssertionError("exit code " + code + " after SIGTERM:\n" + output());
    }
    if (!shutdown.contains("stopped")) {
      throw new AssertionError("no 'stopped' line after SIGTERM:\n" + shutdown);
    }
    shutdown.lines().filter(line -> line.contains(" WARN ") || line.contains(" ERROR ")).findFirst().ifPresent(line -> {
      throw new AssertionError("a clean shutdown logged: " + line + "\n" + shutdown);
    });
    List<Path> left = filesLeft();
    if (!left.isEmpty()) {
      throw new AssertionError("the stopped sidecar left files in java.io.tmpdir: " + left);
    }
  }

  /** Sends SIGKILL and waits for the exit: no hook, no delete-on-exit runs. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(1, TimeUnit.MINUTES)) {
      throw new AssertionError("shadowcar survived SIGKILL");
    }
  }

  Path tmpdir() {
    return tmpdir;
  }

  /** The SQLite library kept for every start, {@code shadowcar-<uid>/sqlite-<version>-<crc>-libsqlitejdbc.so}. */
  Path keptLibrary() {
    try (Stream<Path> files = Files.list(ownDirectory())) {
      List<Path> kept = files.toList();
      if (kept.size() != 1 || !KEPT_LIBRARY.matcher(kept.get(0).getFileName().toString()).matches()) {
        throw new AssertionError("expected the one kept SQLite library, found " + kept);
      }
      return kept.get(0);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** {@code shadowcar-<uid>}: the test runs as the same user as the sidecar it starts. */
  private Path ownDirectory() {
    try {
      return tmpdir.resolve("shadowcar-" + Files.getAttribute(tmpdir, "unix:uid"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Everything in {@code java.io.tmpdir} except the kept SQLite library and its directory. */
  List<Path> filesLeft() {
    Path own = ownDirectory();
    try (Stream<Path> files = Files.walk(tmpdir)) {
      return files.filter(file -> !file.equals(tmpdir) && !file.equals(own))
          .filter(file -> !(file.getParent().equals(own)
              && KEPT_LIBRARY.matcher(file.getFileName().toString()).matches()))
          .toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
