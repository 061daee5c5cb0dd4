package io.shadowcar.eureka;

import io.shadowcar.health.CheckStatus;
import io.shadowcar.health.HealthListener;
import io.shadowcar.health.HealthSnapshot;
import java.time.Instant;

/** Feeds a listener the snapshots the checks agent would publish, remembering the previous one. */
final class Snapshots {

  private final HealthListener listener;
  private HealthSnapshot previous = HealthSnapshot.starting(Instant.now());

  Snapshots(HealthListener listener) {
    this.listener = listener;
  }

  /** Checks pass; an operator's out-of-service stays as it was. */
  void ready() {
    publish(new HealthSnapshot(true, CheckStatus.PASSING, previous.outOfService(), Instant.now()));
  }

  /** Checks fail; an operator's out-of-service stays as it was. */
  void critical() {
    publish(new HealthSnapshot(true, CheckStatus.CRITICAL, previous.outOfService(), Instant.now()));
  }

  void outOfService() {
    publish(new HealthSnapshot(true, previous.aggregate(), true, Instant.now()));
  }

  void backInService() {
    publish(new HealthSnapshot(true, previous.aggregate(), false, Instant.now()));
  }

  private void publish(HealthSnapshot current) {
    listener.onHealthChange(previous, current);
    previous = current;
  }
}
