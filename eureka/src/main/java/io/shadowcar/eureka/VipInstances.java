package io.shadowcar.eureka;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads the UP instances out of Eureka's {@code GET /eureka/vips/{vip}} (or {@code /eureka/apps}) JSON answer.
 * Accepts both shapes Eureka codecs have written for one-element lists (array or bare object).
 */
final class VipInstances {

  private VipInstances() {}

  /**
   * Base URIs ({@code http://ip:port}, or {@code https://ip:securePort} when only the secure port is enabled) of the
   * instances whose status is UP, sorted and without duplicates.
   *
   * @throws IllegalArgumentException if the document is not Eureka's applications JSON
   */
  static List<URI> up(String json) {
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
    List<URI> up = new ArrayList<>();
    forEachObject(applications.getValue("application"),
        app -> forEachObject(app.getValue("instance"), instance -> {
          URI uri = baseUri(instance);
          if (uri != null && "UP".equals(instance.getString("status")) && !up.contains(uri)) {
            up.add(uri);
          }
        }));
    up.sort(null);
    return List.copyOf(up);
  }

  private static URI baseUri(JsonObject instance) {
    String ip = instance.getString("ipAddr");
    if (ip == null || ip.isBlank()) {
      return null;
    }
    String host = ip.contains(":") ? "[" + ip + "]" : ip;
    JsonObject port = instance.getJsonObject("port");
    JsonObject securePort = instance.getJsonObject("securePort");
    if (enabled(port)) {
      return URI.create("http://" + host + ":" + port.getValue("$"));
    }
    if (enabled(securePort)) {
      return URI.create("https://" + host + ":" + securePort.getValue("$"));
    }
    return null;
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
