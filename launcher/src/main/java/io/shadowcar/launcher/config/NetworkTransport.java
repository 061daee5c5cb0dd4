package io.shadowcar.launcher.config;

import java.util.Locale;

/**
 * The network transport every event loop of the sidecar runs on ({@code shadowcar.transport}). {@link #AUTO} takes
 * the first of io_uring, epoll and NIO that this machine allows; a named transport is that one or a failed start, for
 * the operator who pinned it on purpose.
 */
public enum NetworkTransport {
  AUTO, IO_URING, EPOLL, NIO;

  /** What the key accepts, for messages and docs. */
  public static final String EXPECTED = "auto, io_uring, epoll or nio";

  /** The transport named by {@code raw} (any case), or {@code null} when it names none. */
  public static NetworkTransport parse(String raw) {
    for (NetworkTransport t : values()) {
      if (t.text().equalsIgnoreCase(raw)) {
        return t;
      }
    }
    return null;
  }

  /** How the key spells it. */
  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }
}
