package io.shadowcar.launcher;

import ch.qos.logback.classic.LoggerContext;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shadowcar.common.config.InvalidConfigException;
import io.shadowcar.dashboard.DiffStore;
import io.shadowcar.launcher.cli.ArgumentValues;
import io.shadowcar.launcher.config.ConfigLoader;
import io.shadowcar.launcher.config.LiveConfig;
import io.shadowcar.launcher.fleet.DiffDashboardCommand;
import io.shadowcar.launcher.fleet.DiffWorkerCommand;
import io.shadowcar.launcher.replay.ReplayCommand;
import io.shadowcar.templates.TemplateCli;
import io.shadowcar.templates.TemplateConfig;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar shadowcar.jar --config FILE [--check-config] [--once] [--dry] [--help]}, or
 * {@code java -jar shadowcar.jar replay ...} ({@link ReplayCommand}), {@code diff-worker ...}
 * ({@link DiffWorkerCommand}) or {@code diff-dashboard ...} ({@link DiffDashboardCommand}).
 *
 * <p>Exit codes: 0 done (or stopped by SIGTERM after draining), 1 invalid configuration or failed start, 2 bad
 * arguments or a port in use (the admin or traffic port, named by its key).
 */
public final class Main {

  static final int OK = 0;
  static final int INVALID = 1;
  static final int USAGE = 2;

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  private static final Duration PRELOAD_WAIT = Duration.ofSeconds(5);
  private static final Map<String, String> RUNTIME_DEFAULTS = Map.of(
      "io.netty.jfr.enabled", "false", "io.netty.recycler.maxCapacityPerThread", "0",
      "vertx.disableContextTimings", "true");

  /** A command of its own, named by the first argument: its arguments (the rest), output streams, exit code. */
  private interface SubCommand {
    int run(String[] args, PrintStream out, PrintStream err);
  }

  /** The commands that follow a name rather than the sidecar's options; each serves or consumes until stopped. */
  private static final Map<String, SubCommand> SUB_COMMANDS = Map.of(
      "replay", ReplayCommand::run,
      "diff-worker", DiffWorkerCommand::run,
      "diff-dashboard", DiffDashboardCommand::run);

  /** SQLite's native library loading ahead of the diff store, when this command serves; see {@link #awaitPreload}. */
  private static volatile Thread nativeLibraryPreload;

  private Main() {}

  public static void main(String[] args) {
    if (keepsRunning(args)) {
      // what killed processes (this one's earlier starts among them) left in java.io.tmpdir; not in run(), which
      // tests call inside their own JVM
      LeftoverNativeLibraries.sweepInBackground();
    }
    int code = run(args, System.out, System.err);
    if (code >= 0) {
      awaitPreload();
      System.exit(code);
    }
    // code < 0: the sidecar is serving; Vert.x threads keep the JVM alive until SIGTERM
  }

  /**
   * True for the commands that serve or consume until stopped (the sidecar, {@code replay}, {@code diff-worker},
   * {@code diff-dashboard}); false for the one-shot ones ({@code --help}, {@code --check-config}, {@code --once},
   * {@code --dry}), whose output scripts read, and for arguments that do not parse.
   */
  static boolean keepsRunning(String[] args) {
    if (subCommand(args) != null) {
      return !ArgumentValues.wantsHelp(args);
    }
    try {
      return CommandLine.parse(args).serves();
    } catch (CommandLine.UsageException e) {
      return false;
    }
  }

  /** The command named by the first argument, or {@code null} for the sidecar's own options. */
  private static SubCommand subCommand(String[] args) {
    return args.length > 0 ? SUB_COMMANDS.get(args[0]) : null;
  }

  /** Runs one command; returns its exit code, or -1 when the sidecar was started and keeps running. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    runtimeDefaults();
    SubCommand subCommand = subCommand(args);
    if (subCommand != null) {
      return subCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err);
    }
    CommandLine cli;
    try {
      cli = CommandLine.parse(args);
    } catch (CommandLine.UsageException e) {
      err.println("shadowcar: " + e.getMessage());
      err.print(CommandLine.USAGE);
      return USAGE;
    }
    if (cli.help()) {
      out.print(CommandLine.USAGE);
      return OK;
    }
    if (cli.serves()) {
      // the diff store's native library loads while the configuration does (it is on the way to the traffic port)
      Thread preload = new Thread(DiffStore::preloadNativeLibrary, "shadowcar-preload");
      preload.setDaemon(true);
      preload.start();
      nativeLibraryPreload = preload;
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    LiveConfig config;
    try {
      config = ConfigLoader.load(cli.config(), registry);
    } catch (InvalidConfigException e) {
      e.problems().forEach(problem -> err.println("invalid config: " + problem));
      return INVALID;
    }
    if (cli.checkConfig()) {
      config.close();
      List<String> templateProblems = TemplateCli.check(config.current().templates());
      if (!templateProblems.isEmpty()) {
        templateProblems.forEach(problem -> err.println("invalid config: " + problem));
        return INVALID;
      }
      out.println("config OK" + cli.config().map(file -> ": " + file).orElse(""));
      return OK;
    }
    if (cli.once() || cli.dry()) {
      config.close();
      List<TemplateConfig> templates = config.current().templates();
      Map<String, String> snapshot = config.snapshot().values();
      return cli.dry() ? TemplateCli.dryRun(templates, snapshot, out) : TemplateCli.renderOnce(templates, snapshot, out);
    }
    return serve(config, registry);
  }

  private static int serve(LiveConfig config, PrometheusMeterRegistry registry) {
    Sidecar sidecar;
    try {
      sidecar = new Sidecar(config, registry);
    } catch (TransportUnavailableException e) {
      LOG.error(e.getMessage());
      return INVALID;
    } catch (RuntimeException e) {
      LOG.error("start failed: {}", e.getMessage(), e);
      return INVALID;
    }
    try {
      sidecar.start();
    } catch (PortInUseException e) {
      LOG.error(e.getMessage());
      sidecar.stop();
      return USAGE;
    } catch (Exception e) {
      LOG.error("start failed", e);
      sidecar.stop();
      return INVALID;
    }
    SignalExit signalExit = new SignalExit(sidecar::stop, code -> {
      flushLogs();
      System.exit(code);
    });
    try {
      // any other way the JVM exits (SIGHUP, System.exit) stops in order too, with the JVM's status
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        signalExit.stopOnce();
        flushLogs();
      }, "shadowcar-shutdown"));
    } catch (IllegalStateException shuttingDown) {
      // SIGTERM arrived while starting: the JVM is exiting already, so stop here instead of in a hook
      LOG.info("stop requested during start-up");
      return signalExit.stopOnce() ? OK : INVALID;
    }
    String notInstalled = signalExit.install();
    if (notInstalled != null) {
      LOG.warn("no SIGTERM/SIGINT handler ({}): on those signals the JVM's own handling applies: an ordered stop "
          + "from the shutdown hook that exits 143 or 130, or with -Xrs an exit at once, without a drain",
          notInstalled);
    }
    LOG.info("shadowcar started");
    return -1;
  }

  /**
   * A start that fails early (a port in use, a transport that cannot run) exits while SQLite's driver may still be
   * extracting its native library; cut short by the exit, the driver logs an error and a stack trace of its own under
   * the line that says what went wrong. The exit waits for it instead: a few hundred milliseconds in practice, never
   * more than {@link #PRELOAD_WAIT}.
   */
  private static void awaitPreload() {
    Thread preload = nativeLibraryPreload;
    if (preload == null) {
      return;
    }
    try {
      preload.join(PRELOAD_WAIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Netty and Vert.x defaults the launcher changes before any of their classes load; each stays as given when set on
   * the command line.
   *
   * <ul>
   *   <li>{@code io.netty.jfr.enabled=false}: Netty 4.2 registers its buffer events with Java Flight Recorder on the
   *       first buffer it allocates, about 150 ms of class generation and reflection on an event loop, which the first
   *       request after start-up waited for (the first {@code /ready} took 160-190 ms instead of 45). {@code true}
   *       turns them back on for a profiling session.
   *   <li>{@code io.netty.recycler.maxCapacityPerThread=0}: Netty's default object recyclers (the write queue's
   *       entries among them) keep objects for reuse in queues other threads may return to, each take and return an
   *       atomic operation; without them those objects are short-lived allocations the young collection frees. Two
   *       A/B runs of the plain path read 1.01x and 1.03x the requests a second on the sample backend and 1.05x and
   *       1.00x on the static one, with 2 % more heap allocated per request and the same RSS (docs/benchmarks.md).
   *       Netty's adaptive allocator keeps per-event-loop magazines, whose buffer recycler follows this setting, only
   *       with a heap over 512 MiB; under the shipped 160 MiB it runs in its low-memory mode, on shared magazines
   *       whose recycler has a size of its own. Measured again with Netty 4.2.15 (sample and static backends): these
   *       defaults read 0.98x and 0.99x the requests a second of Netty's recyclers, and 0.99x and 0.96x of those with a
   *       heap over 512 MiB as well, both inside the runs' noise, so the setting stays.
   *   <li>{@code vertx.disableContextTimings=true}: Vert.x reads the clock before and after every task it dispatches
   *       (about 0.5 % of the proxy's CPU on its plain path) only so that its blocked-thread checker can tell how long
   *       a task has run; every command's {@link SidecarVertx} has a {@code LoopWatchdog} watch its event loops
   *       instead, which costs a task per loop every 100 ms and also measures the loops' delay.
   * </ul>
   */
  private static void runtimeDefaults() {
    RUNTIME_DEFAULTS.forEach((key, value) -> {
      if (System.getProperty(key) == null) {
        System.setProperty(key, value);
      }
    });
  }

  /** Ends logging before the exit, so that the last lines of a stop are written out. */
  private static void flushLogs() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
      logback.stop();
    }
    System.out.flush();
  }
}
