package io.shadowcar.health;

import java.time.Instant;
import java.util.Objects;

/**
 * One immutable view of the agent's state, published on every change.
 *
 * @param ready the pass streak has been reached at least once since start (ready is not healthy: a ready instance can
 *     be critical later)
 * @param aggregate the worst status over all checks
 * @param outOfService an operator took the instance out (kill switch file or {@code PUT /api/status})
 * @param at when this snapshot was made
 */
public record HealthSnapshot(boolean ready, CheckStatus aggregate, boolean outOfService, Instant at) {

  public HealthSnapshot {
    Objects.requireNonNull(aggregate, "aggregate");
    Objects.requireNonNull(at, "at");
  }

  /** The state an instance starts in: not ready, critical. */
  public static HealthSnapshot starting(Instant at) {
    return new HealthSnapshot(false, CheckStatus.CRITICAL, false, at);
  }

  /** What a registry should show for this snapshot. */
  public InstanceStatus instanceStatus() {
    if (outOfService) {
      return InstanceStatus.OUT_OF_SERVICE;
    }
    if (!ready) {
      return InstanceStatus.STARTING;
    }
    return aggregate == CheckStatus.CRITICAL ? InstanceStatus.DOWN : InstanceStatus.UP;
  }
}
