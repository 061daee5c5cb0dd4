package io.shadowcar.health;

import java.util.Locale;

/** Why an operator took the instance out of service. Either alone is enough; both must clear for it to come back. */
public enum OutOfServiceReason {
  /** The file named by {@code shadowcar.killswitch.file} exists. */
  KILL_SWITCH_FILE,
  /** {@code PUT /api/status?value=OUT_OF_SERVICE}; cleared by {@code value=UP}. */
  OPERATOR;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
