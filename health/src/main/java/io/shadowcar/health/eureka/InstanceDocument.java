package io.shadowcar.health.eureka;

import io.shadowcar.health.InstanceStatus;
import io.vertx.core.json.JsonObject;

/**
 * The JSON body of {@code POST /eureka/apps/{app}}, in the shape Eureka's own client sends ({@code {"instance": ...}},
 * ports as {@code {"$": n, "@enabled": "true"}}, a default data-center info). Describes the managed service, not the
 * sidecar.
 */
final class InstanceDocument {

  private static final String DATA_CENTER_CLASS = "com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo";

  private InstanceDocument() {}

  static JsonObject of(EurekaConfig config, InstanceStatus status, long lastDirtyTimestamp) {
    JsonObject instance = new JsonObject()
        .put("instanceId", config.instanceId())
        .put("hostName", config.instanceHost())
        .put("app", config.eurekaAppName())
        .put("ipAddr", config.instanceIp())
        .put("vipAddress", config.vipAddress())
        .put("secureVipAddress", config.vipAddress())
        .put("status", status.name())
        .put("port", new JsonObject().put("$", config.instancePort()).put("@enabled", "true"))
        .put("securePort", new JsonObject().put("$", 443).put("@enabled", "false"))
        .put("homePageUrl", "http://" + config.instanceHost() + ":" + config.instancePort() + "/")
        .put("dataCenterInfo", new JsonObject().put("@class", DATA_CENTER_CLASS).put("name", "MyOwn"))
        .put("leaseInfo", new JsonObject()
            .put("renewalIntervalInSecs", Math.max(1, config.heartbeatInterval().toSeconds()))
            .put("durationInSecs", config.leaseDuration().toSeconds()))
        .put("metadata", new JsonObject(new java.util.LinkedHashMap<String, Object>(config.metadata())))
        .put("lastDirtyTimestamp", Long.toString(lastDirtyTimestamp));
    if (config.healthCheckUrl() != null) {
      instance.put("healthCheckUrl", config.healthCheckUrl().toString());
    }
    if (config.statusPageUrl() != null) {
      instance.put("statusPageUrl", config.statusPageUrl().toString());
    }
    return new JsonObject().put("instance", instance);
  }
}
