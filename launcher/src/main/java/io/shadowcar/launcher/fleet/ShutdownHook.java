package io.shadowcar.launcher.fleet;

import io.vertx.core.Vertx;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGTERM / Ctrl-C for a long-running fleet command: the hook asks the command to stop, then holds the JVM until the
 * command says it is {@link #done()} (at most a minute), so in-flight work is finished, published and committed first.
 */
final class ShutdownHook {

  private static final Logger LOG = LoggerFactory.getLogger(ShutdownHook.class);

  private final CountDownLatch finished = new CountDownLatch(1);
  private final Thread hook;

  private ShutdownHook(String name, Runnable stop) {
    this.hook = new Thread(() -> {
      stop.run();
      try {
        finished.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, name);
    Runtime.getRuntime().addShutdownHook(hook);
  }

  static ShutdownHook install(String name, Runnable stop) {
    return new ShutdownHook(name, stop);
  }

  /** The command has finished: a running hook lets the JVM go, an unused one is removed. */
  void done() {
    finished.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running and was waiting for this
    }
  }

  /** Closes Vert.x (its HTTP clients and servers) within ten seconds. */
  static void close(Vertx vertx) {
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      LOG.warn("Vert.x did not close within 10 s");
    }
  }
}
