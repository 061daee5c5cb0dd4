package io.shadowcar.eureka;

import io.shadowcar.health.InstanceStatus;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the registrar shows as the {@code "eureka"} section of {@code /api/status} and on the status page: an immutable
 * copy of its configuration and {@link RegistrationProgress}, taken on the registrar's context and read from any
 * thread.
 *
 * @param enabled registration is configured
 * @param state the lifecycle state
 * @param registered Eureka holds our lease
 * @param server the service URL the next call goes to (null when disabled)
 * @param config what is registered
 * @param wantedStatus the status the health agent asks for
 * @param reportedStatus the status Eureka last accepted, or null
 * @param overrideActive whether our OUT_OF_SERVICE override is set; null = unknown
 * @param lastHeartbeatAt when the last renewal was answered, or null
 * @param lastHeartbeatResult how it was answered, or null
 * @param consecutiveFailures failed calls in a row
 * @param lastError the last failure, or null
 * @param lastErrorAt when it happened, or null
 */
record RegistrationStatus(
    boolean enabled,
    RegistrationState state,
    boolean registered,
    String server,
    EurekaConfig config,
    InstanceStatus wantedStatus,
    InstanceStatus reportedStatus,
    Boolean overrideActive,
    Instant lastHeartbeatAt,
    String lastHeartbeatResult,
    int consecutiveFailures,
    String lastError,
    Instant lastErrorAt) {

  static RegistrationStatus of(EurekaConfig config, RegistrationProgress progress, String server,
      InstanceStatus wanted) {
    return new RegistrationStatus(config.enabled(), progress.state, progress.registered, server, config, wanted,
        progress.reported, progress.overrideActive, progress.lastHeartbeatAt,
        progress.lastHeartbeatResult == null ? null : progress.lastHeartbeatResult.label(), progress.failures,
        progress.lastError, progress.lastErrorAt);
  }

  /** The JSON object of the status API; keys and their order are part of the admin API. */
  Map<String, Object> toMap() {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("enabled", enabled);
    view.put("state", state.name());
    view.put("registered", registered);
    if (!enabled) {
      return Collections.unmodifiableMap(view);
    }
    view.put("server", server);
    view.put("app", config.eurekaAppName());
    view.put("instanceId", config.instanceId());
    view.put("vipAddress", config.vipAddress());
    view.put("instance", config.instanceIp() + ":" + config.instancePort());
    view.put("wantedStatus", wantedStatus.name());
    if (reportedStatus != null) {
      view.put("reportedStatus", reportedStatus.name());
    }
    view.put("outOfServiceOverride", overrideActive == null ? "unknown" : overrideActive);
    view.put("heartbeatIntervalMs", config.heartbeatInterval().toMillis());
    if (lastHeartbeatAt != null) {
      view.put("lastHeartbeatAt", lastHeartbeatAt.toString());
      view.put("lastHeartbeatResult", lastHeartbeatResult);
    }
    view.put("consecutiveFailures", consecutiveFailures);
    if (lastError != null) {
      view.put("lastError", lastError);
      view.put("lastErrorAt", lastErrorAt.toString());
    }
    return Collections.unmodifiableMap(view);
  }
}
