package io.shadowcar.health;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.shadowcar.common.concurrent.NamedThreadFactory;
import io.shadowcar.health.check.CheckFactory;
import io.shadowcar.health.check.CheckDefinition;
import io.shadowcar.health.check.CheckKind;
import io.shadowcar.health.check.CheckResult;
import io.shadowcar.health.check.CheckSchedule;
import io.shadowcar.health.check.CheckState;
import io.shadowcar.health.check.CheckTarget;
import io.shadowcar.health.check.CheckView;
import io.shadowcar.health.check.HealthCheck;
import io.shadowcar.health.check.ScriptRunner;
import io.shadowcar.health.process.CapturedOutput;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sidecar agent's health core: runs the configured checks, applies thresholds, aggregates (worst check wins),
 * tracks readiness and out-of-service, and publishes a {@link HealthSnapshot} to listeners on every change.
 *
 * <p>Semantics:
 * <ul>
 *   <li>Every check starts critical; the instance starts not ready. It becomes ready the first time no check is
 *       critical, i.e. once every check has reached its pass streak ({@code passesBeforePassing}, warning counts
 *       toward it) — never on the first result unless a check's streak is 1. With no checks configured the instance
 *       is ready and passing as soon as it starts.
 *   <li>Ready is sticky (Eureka's STARTING→UP is one-way): a ready instance that turns critical is DOWN, not
 *       STARTING. {@code /healthcheck} is the probe that follows health; {@code /ready} answers "has it started".
 *   <li>Out of service while the kill switch file exists or an operator said so; both must clear.
 * </ul>
 *
 * <p>Threads: scripts run on the bounded {@code shadowcar-check-script-N} pool, timers (schedules, timeouts, TTL
 * expiry, kill switch polls) on {@code shadowcar-health-timer}, HTTP/TCP checks on the Vert.x event loop without
 * blocking, listeners in order on {@code shadowcar-health-events}. Reads ({@link #current()}, {@link #checks()}) are
 * cheap and never block: call them from an HTTP handler.
 *
 * <p>Not for per-request decisions on the proxy's hot path: read {@link #current()} there, nothing else.
 */
public final class HealthAgent implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HealthAgent.class);

  private final Vertx vertx;
  private final HealthConfig config;
  private final MeterRegistry registry;
  private final Clock clock;
  private final Map<String, CheckState> states = new LinkedHashMap<>();
  private final Map<String, ScheduledFuture<?>> ttlExpiries = new LinkedHashMap<>();
  private final List<CheckSchedule> schedules = new ArrayList<>();
  private final List<HealthListener> listeners = new CopyOnWriteArrayList<>();
  private final List<StatusContributor> contributors = new CopyOnWriteArrayList<>();
  private final Set<OutOfServiceReason> outOfService = EnumSet.noneOf(OutOfServiceReason.class);
  private final ScheduledExecutorService timer;
  private final ExecutorService events;
  private final ExecutorService scripts;
  private final ScriptRunner scriptRunner;
  private final CheckFactory checkFactory;

  private volatile HealthSnapshot snapshot;
  private volatile List<CheckView> views;
  private volatile Set<OutOfServiceReason> outOfServiceView = Set.of();
  private volatile Instant startedAt;
  private boolean ready;
  private boolean started;
  private boolean stopped;

  public HealthAgent(Vertx vertx, HealthConfig config, MeterRegistry registry) {
    this(vertx, config, registry, Clock.systemUTC());
  }

  HealthAgent(Vertx vertx, HealthConfig config, MeterRegistry registry, Clock clock) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.config = Objects.requireNonNull(config, "config");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.clock = clock;
    this.snapshot = HealthSnapshot.starting(clock.instant());
    for (CheckDefinition definition : config.checks()) {
      states.put(definition.name(), new CheckState(definition));
    }
    this.views = viewsOf();
    ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, NamedThreadFactory.numbered("shadowcar-health-timer"));
    scheduler.setRemoveOnCancelPolicy(true);
    this.timer = scheduler;
    this.events = Executors.newSingleThreadExecutor(NamedThreadFactory.numbered("shadowcar-health-events"));
    // One thread per script check is enough: a check never has two runs at once, and a run needs one thread.
    int scriptChecks = (int) config.checks().stream().filter(c -> c.kind() == CheckKind.SCRIPT).count();
    int threads = Math.max(1, scriptChecks);
    this.scripts = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(threads), NamedThreadFactory.numbered("shadowcar-check-script"));
    this.scriptRunner = new ScriptRunner(scripts, timer, CapturedOutput.DEFAULT_CAPACITY);
    this.checkFactory = new CheckFactory(vertx, scriptRunner);
    registerMetrics();
  }

  /** Starts the checks (each after its stagger), the TTL clocks and the kill switch poll. Idempotent. */
  public synchronized void start() {
    if (started || stopped) {
      return;
    }
    started = true;
    startedAt = clock.instant();
    for (CheckDefinition definition : config.checks()) {
      if (definition.kind() == CheckKind.TTL) {
        armTtl(definition);
        continue;
      }
      HealthCheck check = checkFactory.create(definition);
      CheckSchedule schedule = new CheckSchedule(definition, check, timer, result -> record(definition, result),
          () -> snapshot.ready(), config.startupInterval());
      schedules.add(schedule);
      schedule.start();
    }
    // Look once now so that an instance started with the file present is never published as in service.
    config.killSwitchFile().filter(Files::exists).ifPresent(file -> {
      outOfService.add(OutOfServiceReason.KILL_SWITCH_FILE);
      outOfServiceView = Set.copyOf(outOfService);
    });
    config.killSwitchFile().ifPresent(file -> timer.scheduleWithFixedDelay(() -> {
      try {
        setOutOfService(OutOfServiceReason.KILL_SWITCH_FILE, Files.exists(file));
      } catch (RuntimeException e) {
        LOG.warn("Kill switch poll of {} failed", file, e);
      }
    }, config.killSwitchPoll().toMillis(), config.killSwitchPoll().toMillis(), TimeUnit.MILLISECONDS));
    recompute();
    LOG.info("Health agent started with {} checks", states.size());
  }

  /** Stops checks, kills running scripts (with their process groups) and stops telling listeners. */
  public void stop() {
    synchronized (this) {
      if (stopped) {
        return;
      }
      stopped = true;
    }
    schedules.forEach(CheckSchedule::stop);
    scriptRunner.close();
    timer.shutdownNow();
    scripts.shutdown();
    try {
      if (!scripts.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("Check scripts still running 5 s after stop");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    events.shutdown();
    checkFactory.close();
  }

  @Override
  public void close() {
    stop();
  }

  /** The current state. Cheap and non-blocking. */
  public HealthSnapshot current() {
    return snapshot;
  }

  /** Every check, in configuration order. Cheap and non-blocking. */
  public List<CheckView> checks() {
    return views;
  }

  /** Why the instance is out of service; empty when it is not. */
  public Set<OutOfServiceReason> outOfServiceReasons() {
    return outOfServiceView;
  }

  public HealthConfig config() {
    return config;
  }

  /** When {@link #start()} ran, or {@code null} before. */
  public Instant startedAt() {
    return startedAt;
  }

  /**
   * Tells {@code listener} about every later change of {@link #current()} (ready, aggregate or out of service), in
   * order, on the {@code shadowcar-health-events} thread. It is not called for the state at the time it is added:
   * read {@link #current()} for that.
   */
  public void addListener(HealthListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Adds a section to {@code GET /api/status}. */
  public void addStatusContributor(StatusContributor contributor) {
    contributors.add(Objects.requireNonNull(contributor, "contributor"));
  }

  public List<StatusContributor> statusContributors() {
    return List.copyOf(contributors);
  }

  /** The operator's switch ({@code PUT /api/status}): {@code true} takes the instance out of service. */
  public void setOperatorOutOfService(boolean out) {
    setOutOfService(OutOfServiceReason.OPERATOR, out);
  }

  /**
   * The process is stopping: out of service for good, so {@code /healthcheck} and {@code /ready} answer 503 and
   * balancers stop sending while the proxy still serves. An operator's {@code UP} does not undo it.
   */
  public void setShuttingDown() {
    setOutOfService(OutOfServiceReason.SHUTTING_DOWN, true);
  }

  /**
   * A TTL push: the result goes through the check's thresholds and restarts its TTL clock. {@code note} becomes the
   * output (cut to 4 KiB).
   */
  public TtlUpdate updateTtl(String name, CheckStatus status, String note) {
    CheckDefinition definition;
    synchronized (this) {
      CheckState state = states.get(name);
      if (state == null) {
        return TtlUpdate.UNKNOWN_CHECK;
      }
      definition = state.definition();
      if (definition.kind() != CheckKind.TTL) {
        return TtlUpdate.NOT_A_TTL_CHECK;
      }
      CapturedOutput output = new CapturedOutput(CapturedOutput.DEFAULT_CAPACITY);
      output.write(note == null ? "" : note);
      state.apply(new CheckResult(status, output.toString(), Duration.ZERO), clock.instant());
      armTtl(definition);
      recompute();
    }
    return TtlUpdate.ACCEPTED;
  }

  private synchronized void armTtl(CheckDefinition definition) {
    if (stopped) {
      return;
    }
    Duration ttl = ((CheckTarget.Ttl) definition.target()).ttl();
    ScheduledFuture<?> previous = ttlExpiries.put(definition.name(), timer.schedule(() -> {
      synchronized (this) {
        states.get(definition.name()).forceCritical(new CheckResult(CheckStatus.CRITICAL,
            "TTL expired: no update within " + ttl.toMillis() + " ms", ttl), clock.instant());
        recompute();
      }
    }, ttl.toMillis(), TimeUnit.MILLISECONDS));
    if (previous != null) {
      previous.cancel(false);
    }
  }

  private void record(CheckDefinition definition, CheckResult result) {
    Timer.builder(HealthMetrics.CHECK_DURATION)
        .tags(HealthMetrics.TAG_CHECK, definition.name(), HealthMetrics.TAG_KIND, definition.kind().label(),
            HealthMetrics.TAG_RESULT, result.status().label())
        .register(registry)
        .record(result.duration());
    synchronized (this) {
      if (stopped) {
        return;
      }
      CheckStatus before = states.get(definition.name()).status();
      CheckStatus after = states.get(definition.name()).apply(result, clock.instant());
      if (before != after) {
        LOG.info("Check {} is now {} ({})", definition.name(), after.label(), firstLine(result.output()));
      }
      recompute();
    }
  }

  private synchronized void setOutOfService(OutOfServiceReason reason, boolean out) {
    boolean changed = out ? outOfService.add(reason) : outOfService.remove(reason);
    if (changed) {
      // Deliberate (an operator, the kill switch file, a stop): worth a line, not a warning.
      LOG.info("Out of service by {}: {}", reason.label(), out);
      outOfServiceView = Set.copyOf(outOfService);
      recompute();
    }
  }

  /** Must hold the lock. Publishes views and, when it changed, a new snapshot. */
  private void recompute() {
    views = viewsOf();
    CheckStatus aggregate = CheckStatus.PASSING;
    for (CheckState state : states.values()) {
      aggregate = aggregate.worst(state.status());
    }
    if (started && aggregate != CheckStatus.CRITICAL && !ready) {
      ready = true;
      LOG.info("Instance is ready");
    }
    HealthSnapshot previous = snapshot;
    boolean oos = !outOfService.isEmpty();
    if (previous.ready() == ready && previous.aggregate() == aggregate && previous.outOfService() == oos) {
      return;
    }
    HealthSnapshot next = new HealthSnapshot(ready, aggregate, oos, clock.instant());
    snapshot = next;
    if (stopped) {
      return;
    }
    for (HealthListener listener : listeners) {
      events.execute(() -> {
        try {
          listener.onHealthChange(previous, next);
        } catch (RuntimeException e) {
          LOG.error("Health listener {} threw", listener, e);
        }
      });
    }
  }

  private List<CheckView> viewsOf() {
    return states.values().stream().map(CheckState::view).toList();
  }

  private void registerMetrics() {
    for (CheckDefinition definition : config.checks()) {
      CheckState state = states.get(definition.name());
      Gauge.builder(HealthMetrics.CHECK_STATUS, this, agent -> statusOf(agent, state))
          .tags(HealthMetrics.TAG_CHECK, definition.name(), HealthMetrics.TAG_KIND, definition.kind().label())
          .description("Thresholded check status: 0 passing, 1 warning, 2 critical")
          .register(registry);
    }
    Gauge.builder(HealthMetrics.STATUS, this, agent -> agent.snapshot.aggregate().ordinal())
        .description("Aggregate (worst) check status: 0 passing, 1 warning, 2 critical")
        .register(registry);
    Gauge.builder(HealthMetrics.READY, this, agent -> agent.snapshot.ready() ? 1 : 0)
        .description("1 once the instance is ready")
        .register(registry);
    Gauge.builder(HealthMetrics.OUT_OF_SERVICE, this, agent -> agent.snapshot.outOfService() ? 1 : 0)
        .description("1 while the instance is out of service")
        .register(registry);
  }

  private static double statusOf(HealthAgent agent, CheckState state) {
    synchronized (agent) {
      return state.status().ordinal();
    }
  }

  private static String firstLine(String output) {
    int newline = output.indexOf('\n');
    return newline < 0 ? output : output.substring(0, newline);
  }
}
