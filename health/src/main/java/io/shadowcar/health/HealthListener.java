package io.shadowcar.health;

/** Told about every change of the agent's {@link HealthSnapshot}. Must return quickly and never throw. */
@FunctionalInterface
public interface HealthListener {
  void onHealthChange(HealthSnapshot previous, HealthSnapshot current);
}
