package io.shadowcar.launcher.fleet;

import io.shadowcar.common.concurrent.NamedThreadFactory;
import io.shadowcar.common.config.ConfigView;
import io.shadowcar.common.config.InvalidConfigException;
import io.shadowcar.common.headers.HeaderMask;
import io.shadowcar.dashboard.DiffConfigBinder;
import io.shadowcar.diff.DiffConfig;
import io.shadowcar.launcher.SidecarVertx;
import io.shadowcar.launcher.cli.ArgumentValues;
import io.shadowcar.launcher.cli.ArgumentValues.BadArgumentException;
import io.shadowcar.launcher.config.MaskConfig;
import io.shadowcar.launcher.config.MaskKeys;
import io.shadowcar.launcher.replay.ExchangeConsumer.TopicUnavailableException;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code shadowcar.jar diff-worker ...}: runs one {@link DiffWorker} until SIGTERM, with a progress line every five
 * seconds. Exit codes: 0 stopped, 1 the topic could not be read, a result could not be published or the
 * {@code --config} file is invalid, 2 bad arguments.
 */
public final class DiffWorkerCommand {

  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;

  private static final Logger LOG = LoggerFactory.getLogger(DiffWorkerCommand.class);
  private static final long PROGRESS_SECONDS = 5;

  private DiffWorkerCommand() {}

  /** Runs {@code diff-worker} with the arguments after the sub-command's name; returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (ArgumentValues.wantsHelp(args)) {
      out.print(WorkerArguments.USAGE);
      return OK;
    }
    WorkerOptions options;
    try {
      options = WorkerArguments.parse(args);
    } catch (BadArgumentException e) {
      err.println("shadowcar diff-worker: " + e.getMessage() + " (see diff-worker --help)");
      return USAGE;
    }
    ConfigView config = FleetConfigFile.read(options.config());
    DiffConfig comparison = DiffConfigBinder.bind(config);
    MaskConfig maskConfig = MaskConfig.bind(config);
    if (config.hasProblems() || comparison == null || maskConfig == null) {
      config.problems().forEach(problem -> err.println("invalid config: " + problem));
      return FAILED;
    }
    FleetLogging.configure(options.jsonLog());
    HeaderMask mask;
    try {
      mask = MaskKeys.load(maskConfig, null);
    } catch (InvalidConfigException e) {
      e.problems().forEach(problem -> err.println("invalid config: " + problem));
      return FAILED;
    }
    try {
      return work(options, comparison, mask, err);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return FAILED;
    }
  }

  private static int work(WorkerOptions options, DiffConfig comparison, HeaderMask mask, PrintStream err)
      throws InterruptedException {
    Vertx vertx = SidecarVertx.create();
    String name = "shadowcar-diff-worker-" + ManagementFactory.getRuntimeMXBean().getName();
    DiffWorker worker = new DiffWorker(options, comparison, mask, vertx, name);
    ShutdownHook hook = ShutdownHook.install("shadowcar-diff-worker-shutdown", worker::stop);
    ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(
        NamedThreadFactory.single("shadowcar-diff-worker-progress"));
    progress.scheduleAtFixedRate(new WorkerProgress(worker), PROGRESS_SECONDS, PROGRESS_SECONDS, TimeUnit.SECONDS);
    LOG.info("diff worker {} in group {}: {} -> candidate {}{} -> {}", name, options.group(), options.topic(),
        options.candidate(), options.secondary().map(s -> " and secondary " + s).orElse(""), options.resultsTopic());
    try {
      Optional<String> error = worker.run();
      new WorkerProgress(worker).run();
      if (error.isPresent()) {
        err.println("shadowcar diff-worker: " + error.get());
        return FAILED;
      }
      return OK;
    } catch (TopicUnavailableException e) {
      err.println("shadowcar diff-worker: " + e.getMessage());
      return FAILED;
    } finally {
      progress.shutdownNow();
      ShutdownHook.close(vertx);
      hook.done();
    }
  }
}
