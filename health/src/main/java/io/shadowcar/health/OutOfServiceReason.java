package io.shadowcar.health;

import java.util.Locale;

/**
 * Why the instance is out of service. Any one is enough; all must clear for it to come back (a shutdown never does).
 */
public enum OutOfServiceReason {
  /** The file named by {@code shadowcar.killswitch.file} exists. */
  KILL_SWITCH_FILE,
  /** {@code PUT /api/status?value=OUT_OF_SERVICE}; cleared by {@code value=UP}. */
  OPERATOR,
  /** The process is stopping (SIGTERM): balancers must stop sending. Not cleared by {@code value=UP}. */
  SHUTTING_DOWN;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
