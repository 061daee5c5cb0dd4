package io.shadowcar.launcher.config;

import io.shadowcar.common.config.InvalidValueException;

/** Where a server listens; port 0 means any free port (tests). */
public record ListenAddress(String host, int port) {

  public ListenAddress {
    if (host == null || host.isBlank()) {
      throw new InvalidValueException("host", host, "a host name or IP");
    }
    if (port < 0 || port > 65535) {
      throw new InvalidValueException("port", port, "0-65535");
    }
  }
}
