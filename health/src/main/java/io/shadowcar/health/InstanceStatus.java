package io.shadowcar.health;

/**
 * The instance's status as a registry (Eureka) and load balancers see it.
 *
 * <p>{@code STARTING}: not ready yet. {@code UP}: ready and not critical. {@code DOWN}: was ready, now critical.
 * {@code OUT_OF_SERVICE}: taken out by an operator (kill switch file or admin API), whatever the checks say.
 */
public enum InstanceStatus {
  STARTING,
  UP,
  DOWN,
  OUT_OF_SERVICE
}
