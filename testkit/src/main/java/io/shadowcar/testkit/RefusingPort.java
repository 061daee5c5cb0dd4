package io.shadowcar.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;

/**
 * A loopback port where nothing listens, held for as long as a test needs one: every connection to it is refused.
 *
 * <p>A port freed by closing a {@code ServerSocket(0)} refuses only until something takes it: a server the same run
 * starts, or the test's own client, which on a free port of the ephemeral range can (rarely) connect to itself. A
 * socket that is bound and never listens keeps the port taken, and the kernel answers each connection with a reset.
 */
public final class RefusingPort implements AutoCloseable {

  private final Socket socket;

  private RefusingPort(Socket socket) {
    this.socket = socket;
  }

  /** A new refusing port on 127.0.0.1. */
  public static RefusingPort open() {
    Socket socket = new Socket();
    try {
      socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      return new RefusingPort(socket);
    } catch (IOException e) {
      try {
        socket.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new UncheckedIOException("no loopback port to hold", e);
    }
  }

  public int port() {
    return socket.getLocalPort();
  }

  /** {@code http://127.0.0.1:PORT}. */
  public URI httpUri() {
    return URI.create("http://127.0.0.1:" + port());
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
