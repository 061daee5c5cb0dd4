package io.shadowcar.eureka;

import io.shadowcar.common.target.TargetUrl;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads the UP instances out of Eureka's {@code GET /eureka/vips/{vip}} (or {@code /eureka/apps}) JSON answer.
 * Accepts both shapes Eureka codecs have written for one-element lists (array or bare object).
 */
final class VipInstances {

  private VipInstances() {}

  /**
   * Base URLs of the instances whose status is UP, sorted and without duplicates: {@code https://ip:securePort} when
   * the instance enables its secure port (an instance that offers TLS is called over TLS), else
   * {@code http://ip:port}. Built through {@link TargetUrl}, the parser config validation uses.
   *
   * @throws IllegalArgumentException if the document is not Eureka's applications JSON
   */
  static List<TargetUrl> up(String json) {
    JsonObject root;
    try {
      root = new JsonObject(json);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
    }
    JsonObject applications = root.getJsonObject("applications");
    if (applications == null) {
      throw new IllegalArgumentException("no 'applications' in Eureka answer");
    }
    List<TargetUrl> up = new ArrayList<>();
    forEachObject(applications.getValue("application"),
        app -> forEachObject(app.getValue("instance"), instance -> {
          TargetUrl uri = baseUrl(instance);
          if (uri != null && "UP".equals(instance.getString("status")) && !up.contains(uri)) {
            up.add(uri);
          }
        }));
    up.sort(Comparator.comparing(TargetUrl::uri));
    return List.copyOf(up);
  }

  private static TargetUrl baseUrl(JsonObject instance) {
    String ip = instance.getString("ipAddr");
    if (ip == null || ip.isBlank()) {
      return null;
    }
    String host = ip.contains(":") ? "[" + ip + "]" : ip;
    JsonObject port = instance.getJsonObject("port");
    JsonObject securePort = instance.getJsonObject("securePort");
    String url;
    if (enabled(securePort)) {
      url = "https://" + host + ":" + securePort.getValue("$");
    } else if (enabled(port)) {
      url = "http://" + host + ":" + port.getValue("$");
    } else {
      return null;
    }
    try {
      return TargetUrl.parse(url);
    } catch (IllegalArgumentException e) {
      return null; // e.g. a port outside 1-65535: not an instance anyone can call
    }
  }

  private static boolean enabled(JsonObject port) {
    return port != null && port.getValue("$") != null && "true".equals(String.valueOf(port.getValue("@enabled")));
  }

  private static void forEachObject(Object value, Consumer<JsonObject> action) {
    if (value instanceof JsonObject object) {
      action.accept(object);
    } else if (value instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        if (array.getValue(i) instanceof JsonObject object) {
          action.accept(object);
        }
      }
    }
  }
}
