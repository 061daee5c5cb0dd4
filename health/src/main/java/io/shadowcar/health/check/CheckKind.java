package io.shadowcar.health.check;

import java.util.Locale;

/** How a check finds out its status. */
public enum CheckKind {
  /** A local command: {@code .args} without a shell, or a {@code .script} string under {@code /bin/sh -c}. */
  SCRIPT,
  /** An HTTP GET: 2xx passing, 429 warning, anything else critical. */
  HTTP,
  /** A TCP connect: connected is passing, anything else critical. */
  TCP,
  /** The service pushes its status to the admin API; no push within the TTL is critical. */
  TTL;

  /** Lower-case name used in JSON and metric tags. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
