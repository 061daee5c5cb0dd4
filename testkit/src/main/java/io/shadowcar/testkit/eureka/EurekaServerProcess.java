package io.shadowcar.testkit.eureka;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real Eureka server (the {@code testkit/eureka-server} Spring Boot jar) run as a child process on a loopback port
 * chosen once at construction, so a test can stop and start it again on the same URL. Output goes to
 * {@code target/eureka-server-PORT.log}. A JVM shutdown hook kills a process a test forgot.
 *
 * <p>Most tests want {@link EurekaServerExtension}, which starts one per test class. Use this class directly to test
 * a server that is down first and comes up later. Not a production registry: no peers, no persistence.
 */
public final class EurekaServerProcess implements AutoCloseable {

  /** System property naming the server jar; without it the jar is looked up from the working directory upward. */
  public static final String JAR_PROPERTY = "shadowcar.eureka.server.jar";
  private static final String JAR_RELATIVE = "testkit/eureka-server/target/shadowcar-eureka-server.jar";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private final int port;
  private final Path jar;
  private final Path log;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Thread killOnExit;
  private Process process;

  private EurekaServerProcess(int port) {
    this.port = port;
    this.jar = locateJar();
    this.log = Paths.get("target", "eureka-server-" + port + ".log").toAbsolutePath();
    this.killOnExit = new Thread(this::kill, "eureka-server-" + port + "-killer");
  }

  /** A server on a free loopback port, not started yet. */
  public static EurekaServerProcess onFreePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return new EurekaServerProcess(socket.getLocalPort());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts the process and waits until {@code GET /eureka/apps} answers 200 (or fails with the log's tail). */
  public synchronized EurekaServerProcess start() {
    if (process != null && process.isAlive()) {
      return this;
    }
    try {
      Files.createDirectories(log.getParent());
      String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
      process = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
          "-jar", jar.toString(), "--server.port=" + port))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
      try {
        Runtime.getRuntime().addShutdownHook(killOnExit);
      } catch (IllegalArgumentException alreadyRegistered) {
        // restarted after the process died on its own: the hook is still there
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start Eureka server " + jar, e);
    }
    awaitUp();
    return this;
  }

  /** Kills the process and waits until it is gone. Safe to call twice. */
  public synchronized void stop() {
    kill();
    try {
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    } catch (IllegalStateException | IllegalArgumentException alreadyExitingOrNotSet) {
      // the JVM is exiting (the hook runs) or the hook was never added
    }
  }

  @Override
  public void close() {
    stop();
  }

  public int port() {
    return port;
  }

  /** Base URL of the REST API, e.g. {@code http://127.0.0.1:PORT/eureka}: what {@code shadowcar.eureka.serviceUrl} takes. */
  public URI serviceUrl() {
    return URI.create("http://127.0.0.1:" + port + "/eureka");
  }

  /** {@code GET /eureka/apps/{app}/{id}}: the instance document, or empty when Eureka does not know it. */
  public Optional<JsonObject> instance(String app, String instanceId) {
    HttpResponse<String> response = call("GET", "/apps/" + app + "/" + instanceId);
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    if (response.statusCode() != 200) {
      throw new IllegalStateException("GET instance: HTTP " + response.statusCode() + " " + response.body());
    }
    return Optional.of(new JsonObject(response.body()).getJsonObject("instance"));
  }

  /** The instance's status as Eureka shows it ({@code UP}, {@code DOWN}, ...), or {@code "ABSENT"}. */
  public String statusOf(String app, String instanceId) {
    return instance(app, instanceId).map(i -> i.getString("status")).orElse("ABSENT");
  }

  /** {@code DELETE /eureka/apps/{app}/{id}} behind the registrar's back; true if Eureka knew the instance. */
  public boolean deregister(String app, String instanceId) {
    return call("DELETE", "/apps/" + app + "/" + instanceId).statusCode() == 200;
  }

  /** {@code PUT /eureka/apps/{app}/{id}/status?value=..}: set a status override as an operator (or a dead run) would. */
  public boolean overrideStatus(String app, String instanceId, String value) {
    return call("PUT", "/apps/" + app + "/" + instanceId + "/status?value=" + value).statusCode() == 200;
  }

  private HttpResponse<String> call(String method, String path) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(serviceUrl() + path))
        .method(method, HttpRequest.BodyPublishers.noBody())
        .header("Accept", "application/json")
        .timeout(Duration.ofSeconds(5))
        .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void awaitUp() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Eureka server exited with " + process.exitValue() + ":\n" + logTail());
      }
      try {
        if (call("GET", "/apps").statusCode() == 200) {
          return;
        }
      } catch (UncheckedIOException notListeningYet) {
        // keep polling
      }
      try {
        Thread.sleep(200); // polling a starting process; no assertion depends on this
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        kill();
        throw new IllegalStateException(e);
      }
    }
    kill();
    throw new IllegalStateException("Eureka server not up within " + START_TIMEOUT + ":\n" + logTail());
  }

  private void kill() {
    Process p = process;
    if (p == null) {
      return;
    }
    p.destroy();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log at " + log + ")";
    }
  }

  private static Path locateJar() {
    String configured = System.getProperty(JAR_PROPERTY);
    if (configured != null && !configured.isBlank()) {
      Path path = Paths.get(configured).toAbsolutePath();
      if (!Files.isRegularFile(path)) {
        throw new IllegalStateException(JAR_PROPERTY + "=" + configured + " is not a file");
      }
      return path;
    }
    for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(JAR_RELATIVE);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("no " + JAR_RELATIVE + " above " + Paths.get("").toAbsolutePath()
        + ": build it with the reactor (./mvnw -pl health -am verify packages testkit/eureka-server first)");
  }
}
