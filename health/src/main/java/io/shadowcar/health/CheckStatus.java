package io.shadowcar.health;

/** Consul's check states, best first: the aggregate of several checks is the worst of them. */
public enum CheckStatus {
  PASSING,
  WARNING,
  CRITICAL;

  /** The worse of the two. */
  public CheckStatus worst(CheckStatus other) {
    return other.ordinal() > ordinal() ? other : this;
  }

  /** Lower-case name as Consul prints it ({@code passing|warning|critical}). */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
