package io.shadowcar.launcher;

import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.shadowcar.launcher.config.NetworkTransport;
import io.shadowcar.proxy.watchdog.LoopWatchdog;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.transport.Transport;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * How every command of the launcher builds its Vert.x: on the transport {@link TransportChoice} picks, with its event
 * loops watched by a {@link LoopWatchdog} (which replaces Vert.x's blocked-thread checker, see {@code Main}), and
 * without Vert.x's class-path file resolution. Nothing here has Vert.x serve files from the class path (pages and
 * scripts are read as resources, certificates from their paths), and that resolution made a directory in
 * {@code java.io.tmpdir} at every start ({@code vertx-cache-<random>}) that only a normal exit removes: each SIGKILL
 * or OOM kill left one.
 */
public final class SidecarVertx {

  private SidecarVertx() {}

  /** A Vert.x on {@code transport} whose event loops {@code watchdog} watches; the watchdog closes with it. */
  public static Vertx create(Transport transport, LoopWatchdog watchdog) {
    Vertx vertx = Vertx.builder().with(options()).withTransport(transport).build();
    VertxInternal internal = (VertxInternal) vertx;
    watchdog.watch(internal.nettyEventLoopGroup());
    internal.addCloseHook(completion -> {
      watchdog.close();
      completion.succeed();
    });
    return vertx;
  }

  /**
   * A Vert.x for a command with no transport setting and no metrics page (replay, the fleet's commands): the best
   * transport available, as {@code auto} picks; its watchdog logs blocked loops, its meters go nowhere.
   */
  public static Vertx create() {
    return create(TransportChoice.pick(NetworkTransport.AUTO).transport(),
        LoopWatchdog.start(LoopWatchdog.Settings.DEFAULTS, new CompositeMeterRegistry()));
  }

  /**
   * Starts every thread of Vert.x's internal blocking pool (TLS material, file reads) from the calling thread, which
   * they take their scheduling priority from: a pool starts a thread from the thread that first hands it work, and a
   * Linux thread inherits its creator's priority. The HTTP sink's own loops run at a lower one
   * ({@code BackgroundPriority}) and hand that pool an {@code https://} shadow's TLS set-up; a pool thread they started
   * would do the proxy's TLS and file work at the shadow's priority too. Call it before any copy can be sent.
   */
  static void startInternalBlockingPool(Vertx vertx) {
    if (((VertxInternal) vertx).internalWorkerPool().executor() instanceof ThreadPoolExecutor pool) {
      pool.prestartAllCoreThreads();
    }
  }

  static VertxOptions options() {
    return new VertxOptions().setFileSystemOptions(
        new FileSystemOptions().setClassPathResolvingEnabled(false).setFileCachingEnabled(false));
  }
}
