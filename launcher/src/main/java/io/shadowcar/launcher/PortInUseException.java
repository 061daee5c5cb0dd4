package io.shadowcar.launcher;

import java.io.IOException;
import java.net.BindException;

/**
 * A listening port could not be bound because something else holds it. Its message is the whole story for the
 * operator ({@code shadowcar.admin.port 7070 is in use on 127.0.0.1}), so it is logged as one line, without a stack
 * trace, and the process exits with the usage code.
 */
final class PortInUseException extends Exception {

  PortInUseException(String key, String host, int port) {
    super(key + " " + port + " is in use on " + host + ": stop what holds it or set another port", null, false, false);
  }

  /**
   * Whether {@code failure} or one of its causes is a refused bind: a {@link BindException} (NIO), or the epoll
   * transport's {@code NativeIoException} whose message starts {@code bind(..) failed}.
   */
  static boolean isBindFailure(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof BindException
          || (t instanceof IOException && String.valueOf(t.getMessage()).startsWith("bind("))) {
        return true;
      }
    }
    return false;
  }
}
