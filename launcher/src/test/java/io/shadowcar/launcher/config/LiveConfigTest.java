package io.shadowcar.launcher.config;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shadowcar.common.config.InvalidConfigException;
import io.shadowcar.launcher.LauncherMetrics;
import io.shadowcar.sink.http.HttpShadowSinkConfig;
import io.shadowcar.testkit.LogCapture;
import io.shadowcar.testkit.tls.TestCertificates;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveConfigTest {

  @TempDir Path dir;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  private LiveConfig live(Map<String, String> file, Map<String, String> env, Map<String, String> system) {
    LayeredConfigSource source = new LayeredConfigSource(file, env, system);
    closeables.add(source);
    source.addDynamic(ConfigBinder.bindDynamicSources(source.snapshot()));
    return new LiveConfig(source, registry);
  }

  private Path dynamicFile(String content) throws IOException {
    Path file = dir.resolve("dynamic.properties");
    Files.writeString(file, content);
    return file;
  }

  private Map<String, String> fileWithDynamic(Path dynamic) {
    return Map.of(
        "shadowcar.primary.targets", "http://127.0.0.1:1",
        "shadowcar.shadow.targets", "http://127.0.0.1:2",
        "shadowcar.shadow.sample.percent", "10",
        "shadowcar.config.dynamic.file", dynamic.toString(),
        "shadowcar.config.dynamic.pollSeconds", "1");
  }

  @Test
  void layersSystemOverEnvironmentOverDynamicOverFileOverDefaults() throws IOException {
    Path dynamic = dynamicFile("shadowcar.shadow.sample.percent=20\nshadowcar.shadow.maxBodyBytes=7\n"
        + "shadowcar.shadow.header=X-Dynamic\n");
    Map<String, String> file = new HashMap<>(fileWithDynamic(dynamic));
    file.put("shadowcar.shadow.timeout.ms", "1500");

    LiveConfig config = live(file,
        Map.of("SHADOWCAR_SHADOW_MAXBODYBYTES", "99", "SHADOWCAR_SHADOW_HEADER", "X-Environment"),
        Map.of("shadowcar.shadow.header", "X-System", "java.home", "/ignored"));

    SidecarConfig bound = config.current();
    HttpShadowSinkConfig http = bound.sinkConfig("http", HttpShadowSinkConfig.class).orElseThrow();
    assertEquals(20.0, bound.tee().samplePercent());       // dynamic over file
    assertEquals(99, bound.tee().maxBodyBytes());          // environment over dynamic
    assertEquals("X-System", bound.tee().markerHeader());  // system over environment
    assertEquals(1500, http.timeoutMs());                  // file over default
    assertEquals(1024, http.maxInflight());                // default
    assertFalse(config.snapshot().values().containsKey("java.home"));
  }

  @Test
  void appliesAValidDynamicChangeAndTellsListeners() throws IOException {
    Path dynamic = dynamicFile("shadowcar.shadow.sample.percent=20\n");
    LiveConfig config = live(fileWithDynamic(dynamic), Map.of(), Map.of());
    List<SidecarConfig> seen = new CopyOnWriteArrayList<>();
    config.addListener((previous, current) -> seen.add(current));

    Files.writeString(dynamic, "shadowcar.shadow.sample.percent=50\nshadowcar.shadow.enabled=false\n");

    await().atMost(Duration.ofSeconds(30)).until(() -> config.current().tee().samplePercent() == 50.0);
    assertFalse(config.current().tee().enabled());
    await().atMost(Duration.ofSeconds(30)).until(() -> !seen.isEmpty());
    assertEquals(50.0, seen.get(seen.size() - 1).tee().samplePercent());
    assertEquals(1.0, registry.counter(LauncherMetrics.CONFIG_APPLIED).count());
  }

  @Test
  void aDynamicChangeAppliesWhileTheCertificateFilesAreBeingRotated() throws IOException {
    TestCertificates.authority("live CA").issue("localhost").write(dir.resolve("tls.crt"), dir.resolve("tls.key"));
    Path dynamic = dynamicFile("shadowcar.shadow.enabled=true\n");
    Map<String, String> file = new HashMap<>(fileWithDynamic(dynamic));
    file.put("shadowcar.proxy.tls.certFile", dir.resolve("tls.crt").toString());
    file.put("shadowcar.proxy.tls.keyFile", dir.resolve("tls.key").toString());
    LiveConfig config = live(file, Map.of(), Map.of());
    assertTrue(config.current().proxy().serverTls().isPresent());

    Files.writeString(dir.resolve("tls.key"), "half a key"); // a rotation caught half way
    Files.writeString(dynamic, "shadowcar.shadow.enabled=false\n");

    await().atMost(Duration.ofSeconds(30)).until(() -> !config.current().tee().enabled());
    assertEquals(0.0, registry.counter(LauncherMetrics.CONFIG_REJECTED).count());
    InvalidConfigException atStart = assertThrows(InvalidConfigException.class,
        () -> ConfigBinder.bind(config.snapshot()));
    assertEquals("shadowcar.proxy.tls.certFile", atStart.problems().get(0).key(), "a start reads the files");
  }

  @Test
  void rejectsAnInvalidDynamicChangeAndKeepsTheLastGoodConfig() throws IOException {
    Path dynamic = dynamicFile("shadowcar.shadow.sample.percent=20\n");
    LiveConfig config = live(fileWithDynamic(dynamic), Map.of(), Map.of());

    Files.writeString(dynamic, "shadowcar.shadow.sample.percent=abc\nshadowcar.shadow.maxBodyBytes=5\n");

    await().atMost(Duration.ofSeconds(30))
        .until(() -> registry.counter(LauncherMetrics.CONFIG_REJECTED).count() >= 1.0);
    assertEquals(20.0, config.current().tee().samplePercent());
    assertEquals(1 << 20, config.current().tee().maxBodyBytes()); // the valid half of a bad change is not applied
    assertEquals("20", config.snapshot().values().get("shadowcar.shadow.sample.percent"));

    Files.writeString(dynamic, "shadowcar.shadow.sample.percent=30\n");
    await().atMost(Duration.ofSeconds(30)).until(() -> config.current().tee().samplePercent() == 30.0);
  }

  @Test
  void reportsABadDynamicContentOnceHoweverOftenItIsPolled() throws IOException {
    Path dynamic = dynamicFile("shadowcar.shadow.sample.percent=20\n");
    LiveConfig config = live(fileWithDynamic(dynamic), Map.of(), Map.of());
    LogCapture log = LogCapture.of(LiveConfig.class, Level.ERROR);
    closeables.add(log::close);

    Files.writeString(dynamic, "shadowcar.shadow.sample.percent=abc\n");
    await().atMost(Duration.ofSeconds(30))
        .until(() -> registry.counter(LauncherMetrics.CONFIG_REJECTED).count() >= 1.0);
    for (int poll = 0; poll < 5; poll++) {
      config.reload(); // what every poll of the unchanged bad file does
    }

    assertEquals(1.0, registry.counter(LauncherMetrics.CONFIG_REJECTED).count());
    assertEquals(1, log.messages().size(), log.messages().toString());

    Files.writeString(dynamic, "shadowcar.shadow.sample.percent=xyz\n");
    await().atMost(Duration.ofSeconds(30))
        .until(() -> registry.counter(LauncherMetrics.CONFIG_REJECTED).count() >= 2.0);
    config.reload();
    assertEquals(2.0, registry.counter(LauncherMetrics.CONFIG_REJECTED).count(), "another bad content counts again");
    assertEquals(2, log.messages().size(), log.messages().toString());
  }

  @Test
  void rejectsADynamicChangeWithAnUnknownKeyAndKeepsTheLastGoodConfig() throws IOException {
    Path dynamic = dynamicFile("shadowcar.shadow.sample.percent=20\n");
    LiveConfig config = live(fileWithDynamic(dynamic), Map.of(), Map.of());

    Files.writeString(dynamic, "shadowcar.shadow.sample.percent=40\nshadowcar.shadow.sampel.percent=10\n");

    await().atMost(Duration.ofSeconds(30))
        .until(() -> registry.counter(LauncherMetrics.CONFIG_REJECTED).count() >= 1.0);
    assertEquals(20.0, config.current().tee().samplePercent()); // the whole change is refused, not half of it
  }

  @Test
  void followsAUrlSource() throws Exception {
    java.util.concurrent.atomic.AtomicReference<String> body =
        new java.util.concurrent.atomic.AtomicReference<>("shadowcar.shadow.sample.percent=40\n");
    com.sun.net.httpserver.HttpServer server =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/sidecar.properties", exchange -> {
      byte[] bytes = body.get().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
    try {
      LiveConfig config = live(Map.of(
          "shadowcar.primary.targets", "http://127.0.0.1:1",
          "shadowcar.shadow.targets", "http://127.0.0.1:2",
          "shadowcar.config.dynamic.url",
          "http://127.0.0.1:" + server.getAddress().getPort() + "/sidecar.properties",
          "shadowcar.config.dynamic.allowInsecureUrl", "true",
          "shadowcar.config.dynamic.pollSeconds", "1"), Map.of(), Map.of());
      await().atMost(Duration.ofSeconds(30)).until(() -> config.current().tee().samplePercent() == 40.0);

      body.set("shadowcar.shadow.sample.percent=60\n");
      await().atMost(Duration.ofSeconds(30)).until(() -> config.current().tee().samplePercent() == 60.0);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void refusesToStartWhenADynamicSourceSetsAKeyThatIsReadOnlyAtStart() throws IOException {
    Path dynamic = dynamicFile("shadowcar.checks.x.script=/bin/touch " + dir.resolve("planted") + "\n");

    InvalidConfigException e =
        assertThrows(InvalidConfigException.class, () -> live(fileWithDynamic(dynamic), Map.of(), Map.of()));

    assertEquals(List.of("shadowcar.checks.x.script: '/bin/touch " + dir.resolve("planted") + "' (expected: set in "
        + "the --config file: the dynamic source " + dynamic + " may set only runtime keys)"),
        e.problems().stream().map(Object::toString).toList());
  }

  @Test
  void rejectsAtRuntimeAKeyThatIsReadOnlyAtStartAndKeepsTheLastGoodConfig() throws IOException {
    Path dynamic = dynamicFile("shadowcar.shadow.sample.percent=20\n");
    LiveConfig config = live(fileWithDynamic(dynamic), Map.of(), Map.of());
    List<SidecarConfig> told = new CopyOnWriteArrayList<>();
    config.addListener((previous, current) -> told.add(current));

    Files.writeString(dynamic, "shadowcar.shadow.sample.percent=30\n"
        + "shadowcar.checks.x.script=/bin/touch " + dir.resolve("planted") + "\n");

    await().atMost(Duration.ofSeconds(30))
        .until(() -> registry.counter(LauncherMetrics.CONFIG_REJECTED).count() >= 1.0);
    assertEquals(20.0, config.current().tee().samplePercent()); // the runtime half of the change is not applied
    assertTrue(config.current().health().checks().isEmpty());
    assertFalse(config.snapshot().values().containsKey("shadowcar.checks.x.script"));
    assertTrue(told.isEmpty()); // nothing was handed on to run

    Files.writeString(dynamic, "shadowcar.shadow.sample.percent=30\n");
    await().atMost(Duration.ofSeconds(30)).until(() -> config.current().tee().samplePercent() == 30.0);
  }

  @Test
  void takesTheServicesOwnKeysFromADynamicSource() throws IOException {
    Path dynamic = dynamicFile("shadowcar.shadow.sample.percent=20\napp.db.url=jdbc:h2:mem:app\n");

    LiveConfig config = live(fileWithDynamic(dynamic), Map.of(), Map.of());

    assertEquals("jdbc:h2:mem:app", config.snapshot().values().get("app.db.url"));
    assertEquals(20.0, config.current().tee().samplePercent());
  }

  @Test
  void failsAtStartNamingTheBadKey() {
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> live(
        Map.of("shadowcar.primary.targets", "http://127.0.0.1:1", "shadowcar.proxy.port", "-1"), Map.of(), Map.of()));

    assertEquals("shadowcar.proxy.port", e.problems().get(0).key());
  }

  @Test
  void startsWithoutAConfigServerThatNeverAnswers() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      List<Socket> accepted = new CopyOnWriteArrayList<>();
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            accepted.add(silent.accept()); // accept, never answer
          }
        } catch (IOException closed) {
          // test over
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      Map<String, String> file = Map.of(
          "shadowcar.primary.targets", "http://127.0.0.1:1",
          "shadowcar.config.dynamic.url", "http://127.0.0.1:" + silent.getLocalPort() + "/sidecar.properties",
          "shadowcar.config.dynamic.allowInsecureUrl", "true",
          "shadowcar.config.dynamic.firstPollTimeout.ms", "200");

      CompletableFuture<LiveConfig> started = CompletableFuture.supplyAsync(() -> live(file, Map.of(), Map.of()));

      LiveConfig config = started.get(60, java.util.concurrent.TimeUnit.SECONDS);
      assertEquals(100.0, config.current().tee().samplePercent());
      await().atMost(Duration.ofSeconds(30)).until(() -> !accepted.isEmpty()); // it did try the server
      for (Socket s : accepted) {
        s.close();
      }
    }
  }
}
