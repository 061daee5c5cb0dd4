package io.shadowcar.eureka;

/** Where the registrar is in its life, as shown in {@code /api/status}. */
public enum RegistrationState {
  /** {@code shadowcar.eureka.enabled=false}: nothing is sent. */
  DISABLED,
  /** Constructed, {@code start()} not called yet. */
  NOT_STARTED,
  /** Eureka does not hold a lease of ours yet (first try, server down, or re-registering after a 404). */
  REGISTERING,
  /** Eureka holds our lease; heartbeats keep it. */
  REGISTERED,
  /** Shutting down: DOWN, drain, deregister. */
  STOPPING,
  /** Deregistered (or never was); nothing more is sent. */
  STOPPED
}
