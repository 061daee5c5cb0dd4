package io.shadowcar.launcher.replay;

import io.shadowcar.common.concurrent.NamedThreadFactory;
import io.shadowcar.launcher.SidecarVertx;
import io.shadowcar.launcher.cli.ArgumentValues;
import io.shadowcar.launcher.cli.ArgumentValues.BadArgumentException;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code shadowcar.jar replay ...}: reads the Kafka sink's topic and sends each recorded request again to a target,
 * paced, bounded and counted; prints a progress line every second on stderr and a summary at the end.
 *
 * <p>Exit codes: 0 done, 1 more than {@code --max-failure-percent} of the requests failed or the topic could not be
 * read, 2 bad arguments. Not a load generator (it sends only what was recorded, each once) and not a diff: it reports
 * statuses and latency, the diff workers compare responses.
 */
public final class ReplayCommand {

  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;

  private final ReplayOptions options;
  private final PrintStream out;
  private final PrintStream err;

  private ReplayCommand(ReplayOptions options, PrintStream out, PrintStream err) {
    this.options = options;
    this.out = out;
    this.err = err;
  }

  /** Runs {@code replay} with the arguments after the sub-command's name; returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (ArgumentValues.wantsHelp(args)) {
      out.print(ReplayArguments.USAGE);
      return OK;
    }
    ReplayOptions options;
    try {
      options = ReplayArguments.parse(args);
    } catch (BadArgumentException e) {
      err.println("shadowcar replay: " + e.getMessage() + " (see replay --help)");
      return USAGE;
    }
    ReplayLogging.toStderr();
    try {
      return new ReplayCommand(options, out, err).replay();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("shadowcar replay: interrupted");
      return FAILED;
    }
  }

  private int replay() throws InterruptedException {
    ReplayStats stats = new ReplayStats();
    long endNanos = 0;
    Vertx vertx = SidecarVertx.create();
    ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(
        NamedThreadFactory.single("shadowcar-replay-progress"));
    try (ExchangeConsumer consumer = new ExchangeConsumer(options);
        RequestSender sender = new RequestSender(vertx, options, stats)) {
      try {
        consumer.start();
      } catch (ExchangeConsumer.TopicUnavailableException e) {
        err.println("shadowcar replay: " + e.getMessage());
        return FAILED;
      }
      ReplayLoop loop = new ReplayLoop(consumer, options, sender, stats);
      CountDownLatch finished = new CountDownLatch(1);
      Thread hook = new Thread(() -> stopAndWait(loop, finished), "shadowcar-replay-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      progress.scheduleAtFixedRate(new ProgressLine(stats, sender, err), 1, 1, TimeUnit.SECONDS);
      try {
        Map<TopicPartition, Long> pending = loop.run();
        endNanos = System.nanoTime();
        if (!sender.awaitIdle(options.timeout().plusSeconds(1))) {
          err.println("shadowcar replay: requests still in flight after " + options.timeout() + "; not waited for");
        }
        consumer.commit(pending, true);
      } finally {
        progress.shutdownNow();
        finished.countDown();
        removeHook(hook);
      }
    } finally {
      closeQuietly(vertx);
    }
    ReplaySummary summary = stats.summary(endNanos == 0 ? System.nanoTime() : endNanos);
    if (options.json()) {
      out.println(summary.toJson().encode());
    } else {
      err.print(summary.toText());
    }
    if (summary.failurePercent() > options.maxFailurePercent()) {
      err.printf(Locale.ROOT, "shadowcar replay: %.2f %% of requests failed (allowed: %s %%)%n",
          summary.failurePercent(), options.maxFailurePercent());
      return FAILED;
    }
    return OK;
  }

  /** Ctrl-C or SIGTERM: end the loop, let the summary print, and give the JVM back. */
  private static void stopAndWait(ReplayLoop loop, CountDownLatch finished) {
    loop.stop();
    try {
      finished.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void closeQuietly(Vertx vertx) throws InterruptedException {
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      err.println("shadowcar replay: the HTTP client did not close within 10 s");
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running: it waits for this run to finish.
    }
  }

  /** One line on stderr per second: totals, the last second's rate, in flight and the consumer's lag. */
  private static final class ProgressLine implements Runnable {
    private final ReplayStats stats;
    private final RequestSender sender;
    private final PrintStream err;
    private long lastReplayed;

    ProgressLine(ReplayStats stats, RequestSender sender, PrintStream err) {
      this.stats = stats;
      this.sender = sender;
      this.err = err;
    }

    @Override
    public void run() {
      long replayed = stats.sent() + stats.failed();
      long lag = stats.lag();
      Duration elapsed = stats.elapsed(System.nanoTime());
      err.printf(Locale.ROOT, "replay %6.1fs: sent %d (%d/s), failed %d, skipped %d, in flight %d, lag %s%n",
          elapsed.toMillis() / 1e3, stats.sent(), replayed - lastReplayed, stats.failed(), stats.skipped(),
          sender.inflight(), lag < 0 ? "?" : String.valueOf(lag));
      lastReplayed = replayed;
    }
  }
}
