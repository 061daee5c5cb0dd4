package io.shadowcar.launcher.config;

import io.shadowcar.common.config.SecretMasker;
import com.netflix.archaius.api.config.PollingStrategy;
import io.shadowcar.common.concurrent.NamedThreadFactory;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls one dynamic source on its own daemon thread, waiting a bounded time for the first poll.
 *
 * <p>Archaius 2's {@code FixedPollingStrategy} runs the first poll on the caller's thread and retries it with sleeps,
 * so a config server that hangs or is down stalls start-up (for ever, with a reader without timeouts). Here the first
 * poll runs on the poller thread; start-up waits at most {@code firstPollTimeout}, then logs and goes on with what it
 * has. A late first poll is applied like any later change.
 *
 * <p>Not for sources that must be present before start: nothing here fails start-up.
 */
final class BoundedFirstPollStrategy implements PollingStrategy {

  private static final Logger LOG = LoggerFactory.getLogger(BoundedFirstPollStrategy.class);

  private final String source;
  private final Duration interval;
  private final Duration firstPollTimeout;
  private final ScheduledExecutorService poller;

  BoundedFirstPollStrategy(String source, Duration interval, Duration firstPollTimeout) {
    this.source = source;
    this.interval = interval;
    this.firstPollTimeout = firstPollTimeout;
    this.poller = Executors.newSingleThreadScheduledExecutor(NamedThreadFactory.single("shadowcar-config-poll"));
  }

  @Override
  public Future<?> execute(Runnable callback) {
    Future<?> first = poller.submit(() -> runLogged(callback));
    try {
      first.get(firstPollTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.warn("first poll of dynamic config {} did not finish within {} ms; starting without it, "
          + "its values apply when it answers", SecretMasker.maskValue(source), firstPollTimeout.toMillis());
    } catch (ExecutionException e) {
      LOG.warn("first poll of dynamic config {} failed: {}", SecretMasker.maskValue(source),
          SecretMasker.maskValue(e.getCause().toString()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // one thread: a hung poll delays the next one instead of piling up
    return poller.scheduleWithFixedDelay(
        () -> runLogged(callback), interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void runLogged(Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException e) {
      LOG.warn("poll of dynamic config {} failed: {}", SecretMasker.maskValue(source),
          SecretMasker.maskValue(e.toString()));
    }
  }

  @Override
  public void shutdown() {
    poller.shutdownNow();
  }
}
