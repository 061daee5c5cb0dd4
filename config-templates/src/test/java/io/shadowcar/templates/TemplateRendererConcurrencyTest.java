package io.shadowcar.templates;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The renderer on its real worker thread while another thread reads the target as fast as it can. */
class TemplateRendererConcurrencyTest {

  private static final int RENDERS = 100;
  private static final int LINES = 2000; // ~40 KiB: large enough that a partial write would be visible

  @TempDir Path dir;

  private static String expected(String v) {
    return "begin=" + v + "\n" + ("line=" + v + "\n").repeat(LINES) + "end=" + v + "\n";
  }

  private static String value(int i) {
    return String.format("%06d", i);
  }

  @Test
  void rendersAndRunsCommandsOnItsOwnWorkerThreadWithoutBlockingTheCaller() throws Exception {
    Path go = dir.resolve("go");
    Path source = Files.writeString(dir.resolve("app.template"), "v=${v}\n");
    TemplateConfig config = TemplateConfig.of("app", source, dir.resolve("app.properties"))
        .withCommand("while [ ! -e '" + go + "' ]; do sleep 0.05; done", Duration.ofSeconds(60));

    try (TemplateRenderer renderer = new TemplateRenderer(List.of(config), new SimpleMeterRegistry())) {
      CompletableFuture<List<RenderReport>> started = renderer.renderAll(Map.of("v", "1")).toCompletableFuture();
      CompletableFuture<String> thread = started.thenApply(reports -> Thread.currentThread().getName());
      renderer.onConfigChange(Map.of("v", "2")); // returns although the worker is busy with the command
      assertFalse(started.isDone(), "the command is still waiting for the go file");

      Files.createFile(go);

      assertEquals(TemplateRenderer.THREAD_NAME, thread.get(30, TimeUnit.SECONDS));
      await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(config.target()).equals("v=2\n"));
    }
  }

  @Test
  void aConcurrentReaderNeverSeesAPartialOrEmptyFile() throws Exception {
    Path source = Files.writeString(dir.resolve("big.template"),
        "begin=${v}\n" + "line=${v}\n".repeat(LINES) + "end=${v}\n");
    Path target = dir.resolve("big.properties");
    TemplateConfig config = TemplateConfig.of("big", source, target);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger reads = new AtomicInteger();
    AtomicReference<String> firstBad = new AtomicReference<>();

    try (TemplateRenderer renderer = new TemplateRenderer(List.of(config), new SimpleMeterRegistry())) {
      renderer.renderAll(Map.of("v", value(0))).toCompletableFuture().join();
      CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
        while (!stop.get()) {
          String seen;
          try {
            seen = new String(Files.readAllBytes(target), StandardCharsets.UTF_8);
          } catch (IOException e) {
            firstBad.compareAndSet(null, e.toString());
            continue;
          }
          reads.incrementAndGet();
          String v = seen.startsWith("begin=") && seen.length() > 12 ? seen.substring(6, 12) : "?";
          if (!seen.equals(expected(v))) {
            firstBad.compareAndSet(null, seen.length() + " chars: " + seen.substring(0, Math.min(40, seen.length())));
          }
        }
      });

      for (int i = 1; i <= RENDERS; i++) {
        String v = value(i);
        renderer.onConfigChange(Map.of("v", v));
        await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(10))
            .until(() -> Files.readString(target).startsWith("begin=" + v));
      }
      stop.set(true);
      reader.join();
    }

    assertEquals(null, firstBad.get());
    assertTrue(reads.get() > 0, "the reader ran");
    assertEquals(expected(value(RENDERS)), Files.readString(target));
  }
}
