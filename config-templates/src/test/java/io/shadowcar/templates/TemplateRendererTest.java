package io.shadowcar.templates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The renderer on a {@link ManualScheduler}: every step runs on the test thread, time moves only when told. */
class TemplateRendererTest {

  @TempDir Path dir;

  private final ManualScheduler scheduler = new ManualScheduler();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private TemplateRenderer renderer;

  @AfterEach
  void close() {
    if (renderer != null) {
      renderer.close();
    }
  }

  private TemplateConfig template(String text) throws Exception {
    Path source = Files.writeString(dir.resolve("app.properties.template"), text);
    return TemplateConfig.of("app", source, dir.resolve("app.properties"));
  }

  private TemplateRenderer start(TemplateConfig config, Map<String, String> snapshot) {
    renderer = new TemplateRenderer(List.of(config), registry, scheduler, scheduler.clock(), true);
    renderer.renderAll(snapshot);
    return renderer;
  }

  private double renders(String result) {
    Counter counter = registry.find(TemplateMetrics.RENDERS).tags("template", "app", "result", result).counter();
    return counter == null ? 0 : counter.count();
  }

  private static Map<String, String> config(String... keyValues) {
    Map<String, String> map = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      map.put(keyValues[i], keyValues[i + 1]);
    }
    return Map.copyOf(map);
  }

  @Test
  void rendersEveryTemplateAtStartAndReportsEach() throws Exception {
    TemplateConfig config = template("port=${port}\n");
    renderer = new TemplateRenderer(List.of(config), registry, scheduler, scheduler.clock(), true);

    List<RenderReport> reports = renderer.renderAll(config("port", "8080")).toCompletableFuture().join();

    assertEquals(1, reports.size());
    assertEquals(RenderResult.WRITTEN, reports.get(0).result());
    assertEquals("port=8080\n", Files.readString(config.target()));
    assertEquals(1, renders("written"));
  }

  @Test
  void reRendersWhenAUsedKeyChanges() throws Exception {
    TemplateConfig config = template("port=${port}\n");
    start(config, config("port", "8080", "other", "x"));

    renderer.onConfigChange(config("port", "9090", "other", "x"));

    assertEquals("port=9090\n", Files.readString(config.target()));
    assertEquals(2, renders("written"));
  }

  @Test
  void ignoresChangesOfKeysItDoesNotUse() throws Exception {
    TemplateConfig config = template("port=${port}\n");
    start(config, config("port", "8080", "other", "x"));
    FileStamp stamp = FileStamp.backdate(config.target());

    renderer.onConfigChange(config("port", "8080", "other", "y"));
    renderer.onConfigChange(config("port", "8080", "other", "z", "new.key", "1"));

    assertEquals(1, renders("written"));
    assertEquals(0, renders("unchanged"), "not even rendered");
    stamp.assertUntouched(config.target());
  }

  @Test
  void aChangeThatRendersTheSameBytesDoesNotTouchTheFile() throws Exception {
    TemplateConfig config = template("port=${port:8080}\n");
    start(config, config());
    FileStamp stamp = FileStamp.backdate(config.target());

    renderer.onConfigChange(config("port", "8080")); // key now set, to the default's value

    assertEquals(1, renders("unchanged"));
    stamp.assertUntouched(config.target());
  }

  @Test
  void missingKeyKeepsTheLastGoodFileAndReportsTheError() throws Exception {
    TemplateConfig config = template("url=${db.url}\n");
    start(config, config("db.url", "jdbc:one"));

    renderer.onConfigChange(config());

    assertEquals("url=jdbc:one\n", Files.readString(config.target()));
    assertEquals(1, renders("missing_key"));
    @SuppressWarnings("unchecked")
    Map<String, Object> status = (Map<String, Object>) renderer.status().get("app");
    assertEquals("missing_key", status.get("lastResult"));
    assertEquals("no value and no default for db.url", status.get("lastError"));

    renderer.onConfigChange(config("db.url", "jdbc:two"));

    assertEquals("url=jdbc:two\n", Files.readString(config.target()));
    assertFalse(((Map<?, ?>) renderer.status().get("app")).containsKey("lastError"));
  }

  @Test
  void debounceWaitsForTheQuietPeriod() throws Exception {
    TemplateConfig config = template("v=${v}\n").withWait(Duration.ofSeconds(1), Duration.ofSeconds(10));
    start(config, config("v", "0"));

    renderer.onConfigChange(config("v", "1"));
    scheduler.advance(Duration.ofMillis(600));
    renderer.onConfigChange(config("v", "2"));
    scheduler.advance(Duration.ofMillis(900)); // 1.5 s after the first change, 0.9 s quiet
    assertEquals("v=0\n", Files.readString(config.target()));
    assertEquals(Boolean.TRUE, ((Map<?, ?>) renderer.status().get("app")).get("pending"));

    scheduler.advance(Duration.ofMillis(100));

    assertEquals("v=2\n", Files.readString(config.target()));
    assertEquals(2, renders("written"), "one render for the burst");
    assertEquals(0, scheduler.waiting());
  }

  @Test
  void debounceNeverWaitsLongerThanMax() throws Exception {
    TemplateConfig config = template("v=${v}\n").withWait(Duration.ofSeconds(1), Duration.ofSeconds(3));
    start(config, config("v", "0"));

    for (int i = 1; i <= 3; i++) { // a change every 0.8 s: never quiet for 1 s
      renderer.onConfigChange(config("v", String.valueOf(i)));
      scheduler.advance(Duration.ofMillis(800));
    }
    renderer.onConfigChange(config("v", "4")); // at 2.4 s
    scheduler.advance(Duration.ofMillis(599));
    assertEquals("v=0\n", Files.readString(config.target()));

    scheduler.advance(Duration.ofMillis(1)); // 3 s after the first change

    assertEquals("v=4\n", Files.readString(config.target()));
  }

  @Test
  void runsTheCommandAfterAChangeAndShowsItsResult() throws Exception {
    Path log = dir.resolve("reloads.log");
    TemplateConfig config = template("v=${v}\n")
        .withCommand("cat '" + dir.resolve("app.properties") + "' >> '" + log + "'; echo reloaded; exit 4",
            Duration.ofSeconds(30));
    start(config, config("v", "1"));

    renderer.onConfigChange(config("v", "2"));

    assertEquals("v=1\nv=2\n", Files.readString(log), "the command saw each new file");
    Map<?, ?> command = (Map<?, ?>) ((Map<?, ?>) renderer.status().get("app")).get("command");
    assertEquals(4, command.get("exitCode"));
    assertEquals("failed", command.get("result"));
    assertEquals("reloaded\n", command.get("output"));
    assertEquals(2.0, registry.find(TemplateMetrics.COMMANDS).tags("template", "app", "result", "failed")
        .counter().count());
    assertEquals("v=2\n", Files.readString(config.target()), "a failed command does not undo the file");
  }

  @Test
  void aCommandThatOverrunsItsTimeoutIsKilledAndShownAsTimedOut() throws Exception {
    TemplateConfig config = template("v=${v}\n").withCommand("echo reloading; sleep 300", Duration.ofMillis(300));

    start(config, config("v", "1"));

    Map<?, ?> command = (Map<?, ?>) ((Map<?, ?>) renderer.status().get("app")).get("command");
    assertEquals("timed_out", command.get("result"));
    assertEquals("Timed out (300ms)\nreloading\n", command.get("output"));
    assertEquals("v=1\n", Files.readString(config.target()));
  }

  @Test
  void doesNotRunTheCommandWhenTheFileDidNotChange() throws Exception {
    Path log = dir.resolve("reloads.log");
    TemplateConfig config = template("v=${v:1}\n")
        .withCommand("echo run >> '" + log + "'", Duration.ofSeconds(30));
    start(config, config());

    renderer.onConfigChange(config("v", "1"));

    assertEquals("run\n", Files.readString(log));
  }

  @Test
  void statusShowsKeyNamesButNeverValues() throws Exception {
    TemplateConfig config = template("user=${db.user}\npassword=${db.password}\n");
    start(config, config("db.user", "app", "db.password", "s3cret"));

    Map<?, ?> status = (Map<?, ?>) renderer.status().get("app");

    assertEquals(List.of("db.user", "db.password"), status.get("keys"));
    assertEquals(config.target().toString(), status.get("target"));
    assertEquals("written", status.get("lastResult"));
    assertTrue(status.containsKey("lastRenderAt") && status.containsKey("lastWrittenAt"));
    assertFalse(status.toString().contains("s3cret"));
    assertEquals("templates", renderer.name());
  }

  @Test
  void aBrokenTemplateIsRetriedOnTheNextChange() throws Exception {
    TemplateConfig config = template("v=${v\n");
    start(config, config("v", "1"));
    assertEquals(1, renders("invalid_template"));

    Files.writeString(config.source(), "v=${v}\n");
    renderer.onConfigChange(config("v", "1", "unrelated", "x"));

    assertEquals("v=1\n", Files.readString(config.target()));
  }

  @Test
  void rejectsTwoTemplatesWithOneName() throws Exception {
    TemplateConfig config = template("x");
    assertThrows(IllegalArgumentException.class,
        () -> new TemplateRenderer(List.of(config, config), registry, scheduler, scheduler.clock(), true));
  }

  @Test
  void ignoresChangesAfterClose() throws Exception {
    TemplateConfig config = template("v=${v}\n");
    start(config, config("v", "1"));
    renderer.close();

    renderer.onConfigChange(config("v", "2"));

    assertEquals("v=1\n", Files.readString(config.target()));
    assertTrue(renderer.renderAll(config("v", "3")).toCompletableFuture().isCompletedExceptionally());
  }
}
