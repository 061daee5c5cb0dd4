package io.shadowcar.launcher;

import io.shadowcar.launcher.config.NetworkTransport;
import io.vertx.core.transport.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The Vert.x transport for {@code shadowcar.transport}, picked before Vert.x starts, with the words the start-up line
 * uses for it. {@code auto} tries io_uring, then epoll, then NIO: io_uring hands a loop's reads and writes to the
 * kernel in one system call per loop turn where epoll makes one per read and per write, which on a virtual machine
 * (where every system call also costs the hypervisor) was about a third of the proxy's CPU per request
 * (docs/benchmarks.md). Kernels and container profiles that forbid io_uring (Docker's default seccomp profile does)
 * get epoll, and the line says why.
 *
 * @param transport what Vert.x is built with
 * @param description the transport's name, and what {@code auto} passed over and why
 */
record TransportChoice(Transport transport, String description) {

  /** Picks from the transports this JVM has. */
  static TransportChoice pick(NetworkTransport wanted) {
    return pick(wanted, TransportChoice::vertxTransport);
  }

  /**
   * Picks with {@code lookup} giving each candidate's transport ({@code null} when this build has none).
   *
   * @throws TransportUnavailableException when the transport named by the key is not available here
   */
  static TransportChoice pick(NetworkTransport wanted, Function<NetworkTransport, Transport> lookup) {
    List<NetworkTransport> candidates = wanted == NetworkTransport.AUTO
        ? List.of(NetworkTransport.IO_URING, NetworkTransport.EPOLL, NetworkTransport.NIO) : List.of(wanted);
    List<String> passedOver = new ArrayList<>();
    for (NetworkTransport candidate : candidates) {
      Transport transport = lookup.apply(candidate);
      if (transport != null && transport.available()) {
        String why = passedOver.isEmpty() ? "" : " (" + String.join("; ", passedOver) + ")";
        return new TransportChoice(transport, candidate.text() + why);
      }
      String cause = candidate.text() + " unavailable: " + cause(transport);
      if (wanted != NetworkTransport.AUTO) {
        throw new TransportUnavailableException("shadowcar.transport=" + wanted.text() + " cannot be used here ("
            + cause + "); set it to auto to take the best one available");
      }
      passedOver.add(cause);
    }
    // NIO is always there; only a lookup without it gets here
    throw new IllegalStateException("no network transport available: " + String.join("; ", passedOver));
  }

  private static String cause(Transport transport) {
    if (transport == null) {
      return "not in this build";
    }
    Throwable cause = transport.unavailabilityCause();
    while (cause != null && cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    if (cause == null) {
      return "no reason given";
    }
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }

  /** Vert.x's transport named {@code t} ({@code null} when this build has none); not for {@code auto}. */
  static Transport vertxTransport(NetworkTransport t) {
    return switch (t) {
      case IO_URING -> Transport.IO_URING;
      case EPOLL -> Transport.EPOLL;
      case NIO -> Transport.NIO;
      case AUTO -> throw new IllegalArgumentException("auto is not a transport");
    };
  }
}
