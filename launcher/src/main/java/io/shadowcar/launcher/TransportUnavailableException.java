package io.shadowcar.launcher;

/**
 * The transport named by {@code shadowcar.transport} cannot run on this host (a kernel or a container profile that
 * forbids io_uring, a platform without epoll). Its message names the key, the cause and the way out, so it is logged
 * as one line, without a stack trace, and the process exits as for any other bad configuration.
 */
final class TransportUnavailableException extends RuntimeException {

  TransportUnavailableException(String message) {
    super(message, null, false, false);
  }
}
