package io.shadowcar.launcher;

import io.shadowcar.launcher.config.NetworkTransport;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.transport.Transport;

/**
 * How every command of the launcher builds its Vert.x: on the transport {@link TransportChoice} picks, and without
 * Vert.x's class-path file resolution. Nothing here has Vert.x serve files from the class path (pages and scripts are
 * read as resources, certificates from their paths), and that resolution made a directory in {@code java.io.tmpdir}
 * at every start ({@code vertx-cache-<random>}) that only a normal exit removes: each SIGKILL or OOM kill left one.
 */
public final class SidecarVertx {

  private SidecarVertx() {}

  /** A Vert.x on {@code transport}. */
  public static Vertx create(Transport transport) {
    return Vertx.builder().with(options()).withTransport(transport).build();
  }

  /** A Vert.x for a command with no transport setting: the best one available, as {@code auto} picks. */
  public static Vertx create() {
    return create(TransportChoice.pick(NetworkTransport.AUTO).transport());
  }

  static VertxOptions options() {
    return new VertxOptions().setFileSystemOptions(
        new FileSystemOptions().setClassPathResolvingEnabled(false).setFileCachingEnabled(false));
  }
}
