package io.shadowcar.launcher;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shadowcar.common.concurrent.BackgroundPriority;
import io.shadowcar.common.concurrent.NamedThreadFactory;
import io.shadowcar.sink.http.HttpShadowSinkConfig;
import io.shadowcar.sink.http.HttpSinkProvider;
import io.shadowcar.sink.http.HttpSinkSettings;
import io.shadowcar.health.HealthAgent;
import io.shadowcar.health.api.HealthRoutes;
import io.shadowcar.eureka.EurekaRegistrar;
import io.shadowcar.eureka.EurekaVipDiscovery;
import io.shadowcar.templates.TemplateRenderer;
import io.shadowcar.common.headers.HeaderMask;
import io.shadowcar.eureka.EurekaConfig;
import io.shadowcar.health.HealthSettings;
import io.shadowcar.launcher.admin.AdminAccess;
import io.shadowcar.launcher.admin.AdminGuard;
import io.shadowcar.launcher.admin.AdminServer;
import io.shadowcar.launcher.admin.HealthServer;
import io.shadowcar.launcher.admin.StatusUrls;
import io.shadowcar.launcher.config.ListenAddress;
import io.shadowcar.launcher.config.MaskKeys;
import io.shadowcar.launcher.config.LauncherSettings;
import io.shadowcar.launcher.config.LiveConfig;
import io.shadowcar.common.config.SecretMasker;
import io.shadowcar.launcher.config.SidecarConfig;
import io.shadowcar.launcher.config.TargetsSpec;
import io.shadowcar.launcher.diff.InProcessDiff;
import io.shadowcar.launcher.logging.AccessLog;
import io.shadowcar.launcher.status.CopyTotals;
import io.shadowcar.launcher.status.TeeStatus;
import io.shadowcar.proxy.ProxyServer;
import io.shadowcar.proxy.ProxySettings;
import io.shadowcar.proxy.upstream.TargetSource;
import io.shadowcar.proxy.watchdog.LoopWatchdog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running sidecar: one Vert.x instance, one Prometheus registry shared by every module, and the modules built from
 * the configuration in force: health agent (+ Eureka registrar, templates), proxy with the tee router as its tap,
 * shadow sinks, the diff of shadow answers, admin server. Owns the start, the reaction to config changes and the ordered stop; holds no business
 * logic.
 *
 * <p>{@link #start()} and {@link #stop()} block their caller (the main thread, the shutdown hook): never call them on
 * an event loop.
 */
public final class Sidecar {

  private static final Logger LOG = LoggerFactory.getLogger(Sidecar.class);
  /** Bound for each step that has no configured time of its own (closing a server, Vert.x). */
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(10);
  /** Bound for the first render of the templates (their commands have their own timeouts). */
  private static final Duration RENDER_TIMEOUT = Duration.ofSeconds(60);
  /** How often the copy counters are sampled for the admin page's "last minute" figures. */
  private static final Duration COPY_TOTALS_SAMPLE = Duration.ofSeconds(5);

  private final LiveConfig config;
  private final PrometheusMeterRegistry registry;
  private final Vertx vertx;
  /** The network transport Vert.x runs on, and why (for the start-up line). */
  private final TransportChoice transport;
  private final HealthAgent agent;
  private final TemplateRenderer templates;
  private volatile EurekaRegistrar registrar;
  private final List<EurekaVipDiscovery> discoveries = new ArrayList<>();
  private final TargetSource primaryTargets;
  private final TargetSource shadowTargets;
  private final TargetSource secondaryTargets;
  private final InProcessDiff diff;
  private final ShadowPath shadowPath;
  private final AdminServer admin;
  private final HealthServer healthServer;
  private final CopyTotals copyTotals;
  private final AccessLog accessLog;
  private final CompletableFuture<Void> jvmMetersBinding;
  private final CompletableFuture<Void> internalPoolStart;
  private volatile ProxyServer proxy;
  private volatile int adminPort = -1;
  private volatile int healthPort = -1;
  private volatile long copyTotalsTimer = -1;

  /**
   * Builds every module from the config in force; nothing listens or runs yet. Reads the admin token file and reads
   * (or creates) the header mask key.
   *
   * @throws io.shadowcar.common.config.InvalidConfigException when the token or key file cannot be read
   */
  public Sidecar(LiveConfig config, PrometheusMeterRegistry registry) {
    this.config = config;
    this.registry = registry;
    SidecarConfig initial = config.current();
    // before any thread doing shadow work starts (the diff store's, below): each lowers its priority as it starts
    BackgroundPriority.configure(initial.threadNice());
    Optional<String> adminToken = initial.adminAccess().resolveToken();
    HeaderMask mask = MaskKeys.load(initial.mask(), initial.diff().dataDir());
    // Opening the diff store (SQLite, restoring what it holds) and binding the JVM meters are a good part of a start:
    // a second thread does them while Vert.x, the health agent and the targets come up. The traffic path needs the
    // diff; the JVM meters (about 100 ms of management beans) only the metrics page, so start() waits for them last.
    ExecutorService starter = Executors.newSingleThreadExecutor(NamedThreadFactory.single("shadowcar-start"));
    CompletableFuture<InProcessDiff> diffOpening = CompletableFuture.supplyAsync(
        () -> InProcessDiff.start(initial.diff(), registry), starter);
    this.transport = TransportChoice.pick(initial.transport());
    LoopWatchdog loopWatchdog = LoopWatchdog.start(LoopWatchdog.Settings.DEFAULTS, registry);
    this.vertx = SidecarVertx.create(transport.transport(), loopWatchdog);
    // from a thread at the process's priority, before the traffic port opens (no copy is sent before): 10-15 ms
    this.internalPoolStart = CompletableFuture.runAsync(() -> SidecarVertx.startInternalBlockingPool(vertx), starter);
    this.jvmMetersBinding = CompletableFuture.runAsync(() -> bindJvmMeters(registry), starter);
    starter.shutdown();
    this.agent = new HealthAgent(vertx, initial.health(), registry);
    this.templates = new TemplateRenderer(initial.templates(), registry);
    agent.addStatusContributor(templates);
    this.primaryTargets = targets(initial.primaryTargets(), initial);
    this.shadowTargets = targets(initial.shadowTargets(), initial);
    this.secondaryTargets = targets(initial.secondaryTargets(), initial);
    this.diff = joined(diffOpening);
    this.shadowPath = new ShadowPath(vertx, initial, this::sinkTargets, List.of(diff.registration(mask)), mask,
        registry, loopWatchdog);
    shadowPath.attachListener(InProcessDiff.LISTENER, InProcessDiff.wanted(initial.diff()));
    HealthRoutes health = new HealthRoutes(agent);
    this.accessLog = new AccessLog(shadowPath.router(), initial.accessLog());
    this.copyTotals = new CopyTotals(registry, System::nanoTime);
    TeeStatus tee = new TeeStatus(() -> proxy == null ? List.of() : proxy.primaryTargets(),
        () -> shadowPath.router().config(), shadowPath.sinks(), copyTotals);
    this.admin = new AdminServer(vertx, initial.admin(), registry, Map.of(
        "/api/config", () -> new JsonObject(new LinkedHashMap<>(SecretMasker.mask(config.snapshot().values()))),
        "/api/tee", tee::json), List.of(health::mount, diff.routes(vertx)), new AdminGuard(
            AdminAccess.of(initial.admin().host(), adminToken, initial.adminAccess().allowedHosts()), registry),
        initial.adminTls());
    this.healthServer = initial.healthPort().map(address -> new HealthServer(vertx, address, health)).orElse(null);
  }

  private static void bindJvmMeters(PrometheusMeterRegistry registry) {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** The future's value; its failure as thrown by the task itself (so start-up errors read as before). */
  private static <T> T joined(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error cause) {
        throw cause;
      }
      throw e;
    }
  }

  /** The clusters sinks may send to, by key: the candidate and the secondary of the HTTP sink. */
  private TargetSource sinkTargets(String key) {
    if (key.equals(HttpSinkSettings.TARGETS.key())) {
      return shadowTargets;
    }
    if (key.equals(HttpSinkSettings.SECONDARY_TARGETS.key())) {
      return secondaryTargets;
    }
    throw new IllegalArgumentException("targets: " + key + " (expected: " + HttpSinkSettings.TARGETS.key() + " or "
        + HttpSinkSettings.SECONDARY_TARGETS.key() + ")");
  }

  private TargetSource targets(TargetsSpec spec, SidecarConfig config) {
    if (spec instanceof TargetsSpec.Eureka vip) {
      EurekaVipDiscovery discovery = new EurekaVipDiscovery(vertx, config.eureka(), vip.vipAddress(), registry);
      discoveries.add(discovery);
      agent.addStatusContributor(discovery);
      return discovery::upInstances;
    }
    return new LiveTargets((TargetsSpec.Static) spec);
  }

  /**
   * Starts everything, blocking until the ports are bound: templates are rendered first (the managed service may need
   * them), then the admin port, the health agent and Eureka registration, discovery, and last the traffic port.
   *
   * @throws PortInUseException when the admin or traffic port is held by another process
   * @throws Exception what else failed; call {@link #stop()} to release what did start
   */
  public void start() throws Exception {
    templates.renderAll(config.snapshot().values()).toCompletableFuture()
        .get(RENDER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .stream().filter(report -> report.failed()).forEach(report -> LOG.warn("template not rendered: {}", report));
    SidecarConfig starting = config.current();
    adminPort = listen(LauncherSettings.ADMIN_PORT.key(), starting.admin().host(), starting.admin().port(),
        admin::start);
    if (healthServer != null) {
      ListenAddress address = starting.healthPort().orElseThrow();
      healthPort = listen(HealthSettings.LISTENER_PORT.key(), address.host(), address.port(), healthServer::start);
    }
    if (starting.eureka().enabled()) {
      registrar = new EurekaRegistrar(vertx, registration(starting), registry);
      agent.addListener(registrar);
      agent.addStatusContributor(registrar);
    }
    agent.start();
    if (registrar != null) {
      await("eureka registration start", registrar::start, STEP_TIMEOUT);
    }
    for (EurekaVipDiscovery discovery : discoveries) {
      await("eureka discovery of " + discovery.vipAddress(), discovery::start, STEP_TIMEOUT);
    }
    SidecarConfig current = config.current();
    LOG.info(runtimeLine());
    String heapWarning = HeapSizing.warning(HeapSizing.maxHeapBytes(), current);
    if (heapWarning != null) {
      LOG.warn(heapWarning);
    }
    collectStartUpGarbage();
    joined(internalPoolStart);
    proxy = listen(ProxySettings.PORT.key(), current.proxy().host(), current.proxy().port(),
        () -> ProxyServer.start(vertx, current.proxy(), current.forwarding(), primaryTargets, accessLog, registry));
    LOG.info("proxy listening on {}://{}:{} -> {}", current.proxy().serverTls().isPresent() ? "https" : "http",
        current.proxy().host(), proxy.actualPort(), SecretMasker.maskValue(String.valueOf(primaryTargets.targets())));
    warnIfHostnamesUnchecked(current);
    logShadowSide(current);
    copyTotals.sample();
    copyTotalsTimer = vertx.setPeriodic(COPY_TOTALS_SAMPLE.toMillis(), id -> copyTotals.sample());
    LOG.info("admin page {}://{}:{}/", admin.scheme(), current.admin().host(), adminPort);
    config.addListener(this::apply);
    joined(jvmMetersBinding);
  }

  /**
   * One full collection before the traffic port opens. What start-up built and keeps (configuration, meters, Vert.x
   * and Jackson state) would otherwise sit in the young generation and be copied by the first young collections under
   * traffic, while the JIT compilers compete for the same cores: those pauses took 15-30 ms, against under 5 ms once
   * that state is in the old generation. It costs about 40 ms of start-up. {@code -XX:+DisableExplicitGC} turns it off.
   */
  private static void collectStartUpGarbage() {
    long started = System.nanoTime();
    System.gc();
    LOG.debug("start-up collection took {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  /**
   * The Eureka registration with its health and status URLs on the port that serves them, as bound (the configured
   * port may be 0), and one warning line when other hosts could not reach them.
   */
  private EurekaConfig registration(SidecarConfig starting) {
    boolean onHealthPort = healthServer != null;
    ListenAddress servedBy = onHealthPort ? starting.healthPort().orElseThrow() : starting.admin();
    EurekaConfig eureka = starting.eureka().withStatusPort(onHealthPort ? healthPort : adminPort);
    StatusUrls.warning(eureka, servedBy, onHealthPort ? HealthSettings.LISTENER_HOST.key()
        : LauncherSettings.ADMIN_HOST.key()).ifPresent(LOG::warn);
    return eureka;
  }

  /** Loudly, since it lets anyone with a certificate from a trusted CA stand in for an upstream. */
  private static void warnIfHostnamesUnchecked(SidecarConfig current) {
    if (!current.proxy().primaryTls().verifyHostname()) {
      LOG.warn("{}=false: https:// primaries are not checked to be the host their certificate names; anyone holding "
          + "a certificate from a trusted CA can stand in for them", ProxySettings.PRIMARY_TLS_VERIFY_HOSTNAME.key());
    }
    current.sinkConfig(HttpSinkProvider.TAG, HttpShadowSinkConfig.class)
        .filter(http -> !http.tls().verifyHostname())
        .ifPresent(http -> LOG.warn("{}=false: https:// shadow and secondary targets are not checked to be the host "
            + "their certificate names", HttpSinkSettings.TLS_VERIFY_HOSTNAME.key()));
  }

  /** The network transport and the JVM's memory limits, so a sizing or transport surprise shows in the first lines. */
  private String runtimeLine() {
    Runtime runtime = Runtime.getRuntime();
    return "network transport " + transport.description() + "; heap max " + (HeapSizing.maxHeapBytes() >> 20)
        + " MiB, " + runtime.availableProcessors() + " processors";
  }

  /** One line for the tee's policy and one per sink: where copies go and the limits in force. */
  private void logShadowSide(SidecarConfig current) {
    LOG.info(TeeStatus.describe(current.tee()));
    if (shadowPath.sinks().isEmpty()) {
      LOG.info("no shadow sink configured (set shadowcar.shadow.targets or shadowcar.shadow.kafka.bootstrap): "
          + "nothing is copied");
    }
    shadowPath.sinks().forEach(sink -> LOG.info(SecretMasker.maskValue(sink.description())));
  }

  /** Applies what can change at runtime; says which changes need a restart. Runs on the config poller thread. */
  private void apply(SidecarConfig previous, SidecarConfig current) {
    // The diff's policy first, then its listener (attached only while it compares, so none is counted as skipped when it
    // comes on), then the router, which plans the captures with the listener attached or not.
    diff.apply(previous.diff(), current.diff());
    shadowPath.attachListener(InProcessDiff.LISTENER, InProcessDiff.wanted(current.diff()));
    shadowPath.router().update(current.tee());
    accessLog.update(current.accessLog());
    ProxyServer running = proxy;
    if (running != null && !previous.forwarding().equals(current.forwarding())) {
      running.updateForwarding(current.forwarding());
    }
    if (!previous.tee().equals(current.tee())) {
      LOG.info(TeeStatus.describe(current.tee()));
    }
    retarget("shadowcar.primary.targets", primaryTargets, previous.primaryTargets(), current.primaryTargets());
    retarget("shadowcar.shadow.targets", shadowTargets, previous.shadowTargets(), current.shadowTargets());
    retarget("shadowcar.shadow.secondary.targets", secondaryTargets, previous.secondaryTargets(),
        current.secondaryTargets());
    templates.onConfigChange(config.snapshot().values());
    warnIfChanged("shadowcar.proxy.* / shadowcar.primary timeouts", previous.proxy(), current.proxy());
    warnIfChanged("shadowcar.admin.*", previous.admin(), current.admin());
    warnIfChanged("shadowcar.admin.tls.*", previous.adminTls(), current.adminTls());
    warnIfChanged("shadowcar.admin.token / tokenFile / allowedHosts", previous.adminAccess(), current.adminAccess());
    warnIfChanged("shadowcar.health.host / port", previous.healthPort(), current.healthPort());
    warnIfChanged("shadowcar.proxy.trustedProxies", previous.trustedProxies(), current.trustedProxies());
    warnIfChanged("shadowcar.mask.*", previous.mask(), current.mask());
    warnIfChanged("shadow sinks (which are configured, their limits)", previous.sinks(), current.sinks());
    warnIfChanged("shadowcar.checks.* / shadowcar.health.*", previous.health(), current.health());
    warnIfChanged("shadowcar.eureka.*", previous.eureka(), current.eureka());
    warnIfChanged("shadowcar.templates.*", previous.templates(), current.templates());
  }

  private static void retarget(String key, TargetSource source, TargetsSpec before, TargetsSpec after) {
    if (source instanceof LiveTargets live && after instanceof TargetsSpec.Static fixed) {
      live.set(fixed);
    } else {
      warnIfChanged(key + " (between a list and eureka:VIP)", before, after);
    }
  }

  private static void warnIfChanged(String what, Object before, Object after) {
    if (!Objects.equals(before, after)) {
      LOG.warn("{} changed: takes effect after a restart", what);
    }
  }

  /** The admin port actually bound, or -1 before start. */
  public int adminPort() {
    return adminPort;
  }

  /** The health port actually bound, or -1 before start or without one. */
  public int healthPort() {
    return healthPort;
  }

  /** The traffic port actually bound, or -1 before start. */
  public int proxyPort() {
    return proxy == null ? -1 : proxy.actualPort();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /**
   * Stops in the order that loses no request: {@code /healthcheck} and {@code /ready} turn 503 (shutting down) and
   * Eureka goes DOWN, waits its drain and deregisters, so callers move away; the traffic port keeps serving normally
   * until {@code shadowcar.proxy.shutdown.notReadyDelay.ms} has passed since the stop began (balancers need a few
   * probes to notice); then the proxy stops accepting, answers what still arrives with {@code Connection: close}
   * (HTTP/2: GOAWAY) and drains in-flight exchanges (up to {@code shadowcar.proxy.drainSeconds}); then the sinks flush
   * and close, the exchange listeners finish what they hold and the diff store is written and closed; then checks,
   * templates, discovery, the admin port, config polling and Vert.x. Each step runs even when an earlier one failed.
   *
   * @return true when every step completed in time
   */
  public boolean stop() {
    boolean clean = true;
    long stopBegan = System.nanoTime();
    agent.setShuttingDown();
    if (registrar != null) {
      LOG.info("stopping: Eureka DOWN, drain, deregister");
      clean &= step("eureka deregistration", registrar::shutdown,
          config.current().eureka().drain().plus(STEP_TIMEOUT));
    }
    if (proxy != null) {
      keepServingWhileNotReady(config.current().proxy().notReadyDelayMs(), stopBegan);
      long drainMs = config.current().proxy().drainTimeoutMs();
      LOG.info("stopping: draining in-flight requests (up to {} ms); new requests get Connection: close", drainMs);
      clean &= step("proxy drain", proxy::shutdown, Duration.ofMillis(drainMs).plus(STEP_TIMEOUT));
    }
    clean &= step("shadow sinks close", shadowPath::close, STEP_TIMEOUT.multipliedBy(2));
    clean &= shadowPath.awaitListeners(STEP_TIMEOUT);
    diff.close();
    agent.stop();
    templates.close();
    for (EurekaVipDiscovery discovery : discoveries) {
      clean &= step("eureka discovery stop", discovery::stop, STEP_TIMEOUT);
    }
    vertx.cancelTimer(copyTotalsTimer);
    clean &= step("admin server stop", admin::stop, STEP_TIMEOUT);
    if (healthServer != null) {
      clean &= step("health port stop", healthServer::stop, STEP_TIMEOUT);
    }
    config.close();
    clean &= step("vert.x close", vertx::close, STEP_TIMEOUT);
    LOG.info(clean ? "stopped" : "stopped, with errors");
    return clean;
  }

  /** Waits, still serving, until {@code delayMs} have passed since {@code sinceNanos}: balancers see the 503s. */
  private static void keepServingWhileNotReady(long delayMs, long sinceNanos) {
    long remainingMs = delayMs - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sinceNanos);
    if (remainingMs <= 0) {
      return;
    }
    LOG.info("stopping: /healthcheck and /ready answer 503; serving {} ms more so that balancers stop sending",
        remainingMs);
    try {
      Thread.sleep(remainingMs);
    } catch (InterruptedException e) {
      // cut short: the stop goes on (a set interrupt flag would fail every later step), the drain still protects
      LOG.info("stopping: not-ready delay interrupted");
    }
  }

  private static boolean step(String name, Supplier<? extends Future<?>> action, Duration timeout) {
    try {
      action.get().toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (Exception e) {
      LOG.error("{} failed", name, e);
      return false;
    }
  }

  /** Binds a port; a port held by another process is a {@link PortInUseException} naming its key. */
  private static <T> T listen(String key, String host, int port, Supplier<? extends Future<T>> bind) throws Exception {
    try {
      return await("listen on " + key, bind, STEP_TIMEOUT);
    } catch (ExecutionException e) {
      if (PortInUseException.isBindFailure(e)) {
        throw new PortInUseException(key, host, port);
      }
      throw e;
    }
  }

  private static <T> T await(String name, Supplier<? extends Future<T>> action, Duration timeout) throws Exception {
    LOG.debug("{}", name);
    return action.get().toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
