package io.shadowcar.health.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shadowcar.health.CheckStatus;
import io.shadowcar.health.process.CapturedOutput;
import io.shadowcar.testkit.RefusingPort;
import io.shadowcar.testkit.SidecarTransport;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.NetServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Runs the shipped {@code scripts/checks/*.sh} through the real script runner against real servers and files. */
class CheckScriptsTest {

  private static final Path SCRIPTS = Path.of(System.getProperty("user.dir")).resolve("../scripts/checks")
      .normalize();

  private static Vertx vertx;
  private static HttpServer http;
  private static ExecutorService executor;
  private static ScheduledExecutorService timer;
  private static ScriptRunner runner;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    vertx = SidecarTransport.vertx();
    http = vertx.createHttpServer()
        .requestHandler(request -> request.response().setStatusCode(Integer.parseInt(request.path().substring(1)))
            .end("answer " + request.path().substring(1)))
        .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    executor = Executors.newFixedThreadPool(2);
    timer = Executors.newSingleThreadScheduledExecutor();
    runner = new ScriptRunner(executor, timer, CapturedOutput.DEFAULT_CAPACITY);
  }

  @AfterAll
  static void stop() throws Exception {
    runner.close();
    executor.shutdownNow();
    timer.shutdownNow();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static CheckResult run(String script, Object... args) {
    List<String> command = new ArrayList<>();
    command.add(SCRIPTS.resolve(script).toString());
    for (Object arg : args) {
      command.add(String.valueOf(arg));
    }
    return runner.run(command, Duration.ofSeconds(20)).join();
  }

  @ParameterizedTest
  @CsvSource({"200, PASSING", "204, PASSING", "429, WARNING", "500, CRITICAL", "404, CRITICAL"})
  void httpScriptMapsStatusCodes(int code, CheckStatus expected) {
    String url = "http://127.0.0.1:" + http.actualPort() + "/" + code;
    CheckResult result = run("check-http.sh", url, 5);
    assertEquals(expected, result.status(), result.output());
    assertTrue(result.output().startsWith("HTTP GET " + url + ": " + code), result.output());
  }

  @Test
  void httpScriptShowsTheBody() {
    CheckResult result = run("check-http.sh", "http://127.0.0.1:" + http.actualPort() + "/200");
    assertTrue(result.output().endsWith("answer 200"), result.output());
  }

  @Test
  void httpScriptIsCriticalWhenRefused() throws Exception {
    CheckResult result;
    try (RefusingPort nowhere = RefusingPort.open()) {
      result = run("check-http.sh", nowhere.httpUri() + "/", 5);
    }
    assertEquals(CheckStatus.CRITICAL, result.status());
    assertTrue(result.output().contains("no response"), result.output());
  }

  @Test
  void tcpScriptPassesOnAnOpenPortAndFailsOnAClosedOne() throws Exception {
    NetServer tcp = vertx.createNetServer().connectHandler(socket -> { })
        .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    CheckResult open = run("check-tcp.sh", "127.0.0.1", tcp.actualPort(), 2);
    assertEquals(CheckStatus.PASSING, open.status(), open.output());
    CheckResult closed;
    try (RefusingPort nowhere = RefusingPort.open()) {
      closed = run("check-tcp.sh", "127.0.0.1", nowhere.port(), 2);
    }
    assertEquals(CheckStatus.CRITICAL, closed.status(), closed.output());
  }

  @Test
  void killSwitchScriptFailsWhileTheFileExists() throws Exception {
    Path file = dir.resolve("down");
    assertEquals(CheckStatus.PASSING, run("check-killswitch.sh", file).status());
    Files.writeString(file, "deploy 42\n");
    CheckResult present = run("check-killswitch.sh", file);
    assertEquals(CheckStatus.CRITICAL, present.status());
    assertTrue(present.output().contains("present: deploy 42"), present.output());
    assertEquals(CheckStatus.WARNING, run("check-killswitch.sh", file, "warn").status());
  }

  @Test
  void diskScriptComparesUsageWithThresholds() {
    assertEquals(CheckStatus.PASSING, run("check-disk.sh", dir, 100, 100).status());
    assertEquals(CheckStatus.WARNING, run("check-disk.sh", dir, 0, 100).status());
    CheckResult critical = run("check-disk.sh", dir, 0, 0);
    assertEquals(CheckStatus.CRITICAL, critical.status());
    assertTrue(critical.output().startsWith("disk " + dir + ": "), critical.output());
  }

  @Test
  void badUsageIsUnknownWhichCountsAsCritical() {
    for (String script : List.of("check-http.sh", "check-tcp.sh", "check-killswitch.sh")) {
      CheckResult result = run(script);
      assertEquals(CheckStatus.CRITICAL, result.status(), script);
      assertTrue(result.output().contains("usage") && result.output().contains("Exit code 3"), result.output());
    }
    assertEquals(CheckStatus.CRITICAL, run("check-disk.sh", "/", 90, 80).status());
  }
}
