package io.shadowcar.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

/**
 * A loopback server that answers its first connection's request with a TCP reset (as a crashing or stopping server,
 * or a balancer dropping the connection, does): it reads what the client sent, then closes with {@code SO_LINGER 0}.
 */
public final class ResettingServer implements AutoCloseable {

  private final ServerSocket server;
  private final Thread thread;

  private ResettingServer(ServerSocket server) {
    this.server = server;
    this.thread = new Thread(this::resetFirstConnection, "resetting-server-" + server.getLocalPort());
    thread.setDaemon(true);
    thread.start();
  }

  /** A new server on 127.0.0.1, accepting. */
  public static ResettingServer start() {
    try {
      return new ResettingServer(new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1")));
    } catch (IOException e) {
      throw new UncheckedIOException("no loopback port to listen on", e);
    }
  }

  /** The port it listens on. */
  public int port() {
    return server.getLocalPort();
  }

  private void resetFirstConnection() {
    try (Socket socket = server.accept()) {
      socket.getInputStream().read(new byte[4096]); // the request, or its first part: then a reset, not an answer
      socket.setSoLinger(true, 0);
    } catch (IOException e) {
      // closed before a client came: nothing to reset
    }
  }

  @Override
  public void close() throws InterruptedException {
    try {
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    thread.join(TimeUnit.SECONDS.toMillis(10));
  }
}
