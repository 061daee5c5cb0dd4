package io.shadowcar.eureka.rest;

import io.shadowcar.health.InstanceStatus;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The JSON body of {@code POST /eureka/apps/{app}}, in the shape Eureka's own client sends ({@code {"instance": ...}},
 * ports as {@code {"$": n, "@enabled": "true"}}, a default data-center info). Describes the managed service, not the
 * sidecar. Holds what does not change between registrations; {@link #toJson} adds the status and dirty timestamp.
 *
 * @param instanceId unique id in the app
 * @param hostName host name of the managed service
 * @param app the app name as Eureka stores it (upper case)
 * @param ipAddr IP of the managed service
 * @param vipAddress VIP (also sent as the secure VIP)
 * @param port port of the managed service
 * @param heartbeatInterval advertised renewal interval
 * @param leaseDuration advertised lease duration
 * @param metadata free key/values
 * @param healthCheckUrl the sidecar's health URL, or null to leave out
 * @param statusPageUrl the sidecar's status URL, or null to leave out
 */
public record InstanceDocument(
    String instanceId,
    String hostName,
    String app,
    String ipAddr,
    String vipAddress,
    int port,
    Duration heartbeatInterval,
    Duration leaseDuration,
    Map<String, String> metadata,
    URI healthCheckUrl,
    URI statusPageUrl) {

  private static final String DATA_CENTER_CLASS = "com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo";

  public InstanceDocument {
    Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
    Objects.requireNonNull(leaseDuration, "leaseDuration");
    metadata = Map.copyOf(metadata);
  }

  /** The registration body with {@code status} and {@code lastDirtyTimestamp}. */
  public JsonObject toJson(InstanceStatus status, long lastDirtyTimestamp) {
    JsonObject instance = new JsonObject()
        .put("instanceId", instanceId)
        .put("hostName", hostName)
        .put("app", app)
        .put("ipAddr", ipAddr)
        .put("vipAddress", vipAddress)
        .put("secureVipAddress", vipAddress)
        .put("status", status.name())
        .put("port", new JsonObject().put("$", port).put("@enabled", "true"))
        .put("securePort", new JsonObject().put("$", 443).put("@enabled", "false"))
        .put("homePageUrl", "http://" + hostName + ":" + port + "/")
        .put("dataCenterInfo", new JsonObject().put("@class", DATA_CENTER_CLASS).put("name", "MyOwn"))
        .put("leaseInfo", new JsonObject()
            .put("renewalIntervalInSecs", Math.max(1, heartbeatInterval.toSeconds()))
            .put("durationInSecs", leaseDuration.toSeconds()))
        .put("metadata", new JsonObject(new LinkedHashMap<String, Object>(metadata)))
        .put("lastDirtyTimestamp", Long.toString(lastDirtyTimestamp));
    if (healthCheckUrl != null) {
      instance.put("healthCheckUrl", healthCheckUrl.toString());
    }
    if (statusPageUrl != null) {
      instance.put("statusPageUrl", statusPageUrl.toString());
    }
    return new JsonObject().put("instance", instance);
  }
}
