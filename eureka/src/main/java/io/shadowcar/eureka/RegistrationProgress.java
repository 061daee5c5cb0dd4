package io.shadowcar.eureka;

import io.shadowcar.eureka.rest.CallResult;
import io.shadowcar.health.CheckStatus;
import io.shadowcar.health.HealthSnapshot;
import io.shadowcar.health.InstanceStatus;
import java.time.Instant;

/**
 * Where one {@link EurekaRegistrar} stands with Eureka: the registration state machine's only mutable state. Confined
 * to the registrar's Vert.x context; {@link RegistrationStatus#of} copies it into an immutable view for other threads.
 */
final class RegistrationProgress {

  RegistrationState state;
  /** Eureka holds a lease of ours, as far as we know. */
  boolean registered;
  /** The status Eureka last accepted from us; null before the first registration. */
  InstanceStatus reported;
  /** Whether Eureka holds our OUT_OF_SERVICE override; null = unknown (after a fresh registration). */
  Boolean overrideActive = Boolean.FALSE;
  long lastDirtyTimestamp;
  long lastContactAt;
  long nextHeartbeatAt;
  /** A call is in flight: the next step waits for its answer. */
  boolean busy;
  long timerId = -1;
  /** Failed calls in a row; drives the back-off. */
  int failures;
  /** 404s in a row without a good renewal between. */
  int notFoundStreak;
  boolean stopping;
  boolean shutdownRunning;
  Instant lastHeartbeatAt;
  CallResult lastHeartbeatResult;
  String lastError;
  Instant lastErrorAt;

  RegistrationProgress(RegistrationState initial) {
    this.state = initial;
  }

  /** The one call that brings Eureka closer to what is wanted, in this order of importance. */
  enum NextCall { REGISTER, SET_OVERRIDE, CLEAR_OVERRIDE, RENEW, WAIT }

  /** The status this instance reports about itself: never OUT_OF_SERVICE (that is an override). */
  static InstanceStatus selfReported(HealthSnapshot snapshot) {
    if (!snapshot.ready()) {
      return InstanceStatus.STARTING;
    }
    return snapshot.aggregate() == CheckStatus.CRITICAL ? InstanceStatus.DOWN : InstanceStatus.UP;
  }

  /**
   * What to do next to report {@code self} with the override matching {@code outOfService}: register (first time,
   * lost, or a new status), set or clear the override, renew the lease when due, or wait for the next heartbeat.
   */
  NextCall next(InstanceStatus self, boolean outOfService, long nowMillis, long leaseMillis) {
    if (registered && nowMillis - lastContactAt >= leaseMillis) {
      lost(); // no answer for a whole lease: the server has evicted us or forgotten us
    }
    if (!registered || reported != self) {
      return NextCall.REGISTER;
    }
    if (!Boolean.valueOf(outOfService).equals(overrideActive)) {
      return outOfService ? NextCall.SET_OVERRIDE : NextCall.CLEAR_OVERRIDE;
    }
    return nowMillis >= nextHeartbeatAt ? NextCall.RENEW : NextCall.WAIT;
  }

  /** Eureka lost us (evicted, restarted, or no answer for a lease): register again. */
  void lost() {
    registered = false;
    state = RegistrationState.REGISTERING;
  }

  void failed(String error, Instant at) {
    lastError = error;
    lastErrorAt = at;
  }
}
