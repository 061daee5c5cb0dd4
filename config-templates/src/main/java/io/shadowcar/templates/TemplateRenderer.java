package io.shadowcar.templates;

import io.shadowcar.common.concurrent.NamedThreadFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.shadowcar.health.StatusContributor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps templated files in step with the dynamic config, like consul-template: renders every template at start,
 * then re-renders a template when a key it uses changes value, debounced by its {@code wait.min}/{@code wait.max}.
 *
 * <p>Threads: every read, write and command runs on one worker thread of its own, {@value #THREAD_NAME}, one template
 * at a time; its queue is bounded by coalescing (at most one pending config change and one debounce timer per
 * template). {@link #renderAll}, {@link #onConfigChange} and {@link #status} never block and may be called from any
 * thread, an event loop included. A failed render leaves the last good file in place and shows in {@link #status}
 * and in {@link TemplateMetrics#RENDERS}.
 *
 * <p>Use from the launcher:
 * <pre>{@code
 * List<TemplateConfig> templates = TemplateBinder.bind(view);             // null after recording problems
 * TemplateRenderer renderer = new TemplateRenderer(templates, meterRegistry);
 * statusContributors.add(renderer);                                        // "templates" in /api/status
 * renderer.renderAll(snapshot).thenAccept(reports -> declareReady());       // before ready
 * config.addListener(() -> renderer.onConfigChange(currentSnapshot()));     // every change, whole snapshot
 * shutdownHooks.add(renderer::close);
 * }</pre>
 *
 * <p>Not for one-shot use ({@code --once}, {@code --dry}): see {@link TemplateCli}. The set of templates is fixed
 * at construction: to apply changed {@code shadowcar.templates.*} keys, close this renderer and build a new one.
 */
public final class TemplateRenderer implements StatusContributor, AutoCloseable {

  public static final String THREAD_NAME = "shadowcar-templates";

  private static final Logger LOG = LoggerFactory.getLogger(TemplateRenderer.class);

  /** A template and its debounce state; the mutable fields are touched on the worker only. */
  private static final class Slot {
    final TemplateJob job;
    final Debounce debounce;
    ScheduledFuture<?> timer;
    volatile boolean pending;

    Slot(TemplateJob job) {
      this.job = job;
      this.debounce = new Debounce(job.config().waitMin(), job.config().waitMax());
    }
  }

  private final List<Slot> slots;
  private final ScheduledExecutorService worker;
  private final CommandRunner commands;
  private final boolean ownsWorker;
  private final Clock clock;
  private final TemplateMetrics metrics;
  private final AtomicReference<Map<String, String>> latest = new AtomicReference<>(Map.of());
  private final AtomicBoolean changeQueued = new AtomicBoolean();

  /**
   * A renderer with its own worker thread ({@value #THREAD_NAME}, a daemon); nothing runs until {@link #renderAll}.
   *
   * @throws IllegalArgumentException when two templates have the same name
   */
  public TemplateRenderer(List<TemplateConfig> templates, MeterRegistry registry) {
    this(templates, registry, newWorker(), Clock.systemUTC(), true);
  }

  /** For tests: {@code worker} must run its tasks one at a time (a single thread, or inline). */
  TemplateRenderer(List<TemplateConfig> templates, MeterRegistry registry, ScheduledExecutorService worker,
      Clock clock, boolean ownsWorker) {
    Objects.requireNonNull(templates, "templates");
    var names = new HashSet<String>();
    templates.forEach(t -> {
      if (!names.add(t.name())) {
        throw new IllegalArgumentException("templates: \"" + t.name() + "\" twice (expected: unique names)");
      }
    });
    this.worker = Objects.requireNonNull(worker, "worker");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.metrics = new TemplateMetrics(Objects.requireNonNull(registry, "registry"));
    this.ownsWorker = ownsWorker;
    TargetWriter writer = new TargetWriter();
    this.commands = new CommandRunner(clock);
    List<Slot> list = new ArrayList<>();
    templates.forEach(t -> list.add(new Slot(new TemplateJob(t, writer, commands, clock))));
    this.slots = List.copyOf(list);
  }

  /**
   * Renders every template now (no debounce) from {@code snapshot} and runs the commands of those written. The
   * launcher calls it once at start and declares the instance ready after it completes; the stage completes on the
   * worker thread with one report per template, in config order (failures included: check
   * {@link RenderReport#failed()}). It fails only when the renderer is closed.
   *
   * @param snapshot the effective config; must not change afterwards (pass an immutable copy)
   */
  public CompletionStage<List<RenderReport>> renderAll(Map<String, String> snapshot) {
    latest.set(Objects.requireNonNull(snapshot, "snapshot"));
    try {
      return CompletableFuture.supplyAsync(() -> {
        List<RenderReport> reports = new ArrayList<>();
        for (Slot slot : slots) {
          disarm(slot);
          reports.add(render(slot, snapshot));
        }
        return List.copyOf(reports);
      }, worker);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new IllegalStateException("template renderer is closed", e));
    }
  }

  /**
   * Tells the renderer the config changed; call it on every change with the whole new effective config. Returns at
   * once: on the worker, each template whose used keys got another value is re-rendered after its debounce.
   *
   * @param snapshot the effective config; must not change afterwards (pass an immutable copy)
   */
  public void onConfigChange(Map<String, String> snapshot) {
    latest.set(Objects.requireNonNull(snapshot, "snapshot"));
    if (changeQueued.compareAndSet(false, true)) {
      try {
        worker.execute(this::applyLatestChange);
      } catch (RejectedExecutionException e) {
        LOG.debug("config change ignored: template renderer is closed");
      }
    }
  }

  @Override
  public String name() {
    return "templates";
  }

  /** Per template (by name): source, target, keys used, last render time/result/error, command result. */
  @Override
  public Map<String, Object> status() {
    Map<String, Object> status = new LinkedHashMap<>();
    for (Slot slot : slots) {
      Map<String, Object> entry = slot.job.status();
      entry.put("pending", slot.pending);
      status.put(slot.job.config().name(), entry);
    }
    return status;
  }

  /** Stops rendering; a running command is killed. Templates already written stay. */
  @Override
  public void close() {
    if (!ownsWorker) {
      return;
    }
    worker.shutdownNow();
    commands.close(); // a command's output pipe read does not answer the interrupt: kill the command
    try {
      if (!worker.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("{} did not stop within 10s", THREAD_NAME);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void applyLatestChange() {
    changeQueued.set(false);
    Map<String, String> snapshot = latest.get();
    Instant now = clock.instant();
    for (Slot slot : slots) {
      if (slot.job.affectedBy(snapshot)) {
        slot.pending = true;
        arm(slot, slot.debounce.onChange(now), now);
      }
    }
  }

  private void arm(Slot slot, Instant deadline, Instant now) {
    if (slot.timer != null) {
      slot.timer.cancel(false);
      slot.timer = null;
    }
    long delayMs = Duration.between(now, deadline).toMillis();
    if (delayMs <= 0) {
      fire(slot);
    } else {
      slot.timer = worker.schedule(() -> fire(slot), delayMs, TimeUnit.MILLISECONDS);
    }
  }

  private void fire(Slot slot) {
    slot.timer = null;
    Instant now = clock.instant();
    if (!slot.debounce.pending()) {
      return;
    }
    if (!slot.debounce.due(now)) {
      arm(slot, slot.debounce.deadline(), now);
      return;
    }
    disarm(slot);
    render(slot, latest.get());
  }

  private void disarm(Slot slot) {
    if (slot.timer != null) {
      slot.timer.cancel(false);
      slot.timer = null;
    }
    slot.debounce.clear();
    slot.pending = false;
  }

  private RenderReport render(Slot slot, Map<String, String> snapshot) {
    RenderReport report = slot.job.render(snapshot);
    metrics.record(report);
    if (report.result().failed()) {
      LOG.error("template {}: {} ({}); the last good {} stays", report.template(), report.result().tag(),
          report.error().orElse(""), slot.job.config().target());
    } else if (report.result().wrote()) {
      LOG.info("template {}: {} {}", report.template(), report.result().tag(), slot.job.config().target());
    }
    report.command().filter(c -> c.outcome() != CommandResult.Outcome.OK).ifPresent(c ->
        LOG.error("template {}: command {} (exit code {})", report.template(), c.outcome().tag(), c.exitCode()));
    return report;
  }

  private static ScheduledExecutorService newWorker() {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, NamedThreadFactory.single(THREAD_NAME));
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }
}
