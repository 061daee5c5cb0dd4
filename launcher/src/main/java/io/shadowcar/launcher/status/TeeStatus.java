package io.shadowcar.launcher.status;

import io.shadowcar.proxy.upstream.Target;
import io.shadowcar.sink.ShadowSink;
import io.shadowcar.sink.SinkStatus;
import io.shadowcar.tee.RouteRule;
import io.shadowcar.tee.SampleKey;
import io.shadowcar.tee.TeeConfig;
import io.shadowcar.tee.TeeMetrics;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * What the tee is doing, as the JSON of {@code GET /api/tee} (the admin page polls it) and as the start-up log lines:
 * the primary targets with their breakers, the sampling and routes in force, each sink's state, and the copies sent,
 * failed, dropped and skipped, in total and over the last minute. Built on demand from cheap reads.
 */
public final class TeeStatus {

  private final Supplier<List<Target>> primaries;
  private final Supplier<TeeConfig> tee;
  private final List<ShadowSink> sinks;
  private final CopyTotals totals;

  /**
   * @param primaries the primary targets now (empty before the proxy started)
   * @param tee the tee config in force (changes at runtime)
   */
  public TeeStatus(Supplier<List<Target>> primaries, Supplier<TeeConfig> tee, List<ShadowSink> sinks,
      CopyTotals totals) {
    this.primaries = primaries;
    this.tee = tee;
    this.sinks = List.copyOf(sinks);
    this.totals = totals;
  }

  /** The document of {@code GET /api/tee}; the format is in docs/operations.md. */
  public JsonObject json() {
    Map<String, CopyTotals.Count> counts = totals.counts();
    JsonArray primary = new JsonArray();
    for (Target target : primaries.get()) {
      primary.add(new JsonObject().put("target", target.uri().toString())
          .put("breaker", target.breaker().getState().name()));
    }
    JsonArray sinkArray = new JsonArray();
    for (ShadowSink sink : sinks) {
      SinkStatus status = sink.status();
      JsonObject copies = new JsonObject();
      for (String result : List.of(TeeMetrics.RESULT_SENT, TeeMetrics.RESULT_FAILED)) {
        copies.put(result, count(counts.get("copies." + status.tag() + "." + result)));
      }
      sinkArray.add(new JsonObject().put("tag", status.tag()).put("state", status.state())
          .put("destination", status.destination()).put("details", new JsonObject(Map.copyOf(status.details())))
          .put("copies", copies));
    }
    return new JsonObject()
        .put("primary", primary)
        .put("tee", teeJson(tee.get()))
        .put("sinks", sinkArray)
        .put("dropped", byReason(counts, "dropped."))
        .put("skipped", byReason(counts, "skipped."))
        .put("windowSeconds", totals.windowSeconds());
  }

  /** One line for the start-up log: the kill switch, sampling, methods and routes in force. */
  public static String describe(TeeConfig config) {
    String routes = config.routes().isEmpty() ? "none (every path)" : config.routes().stream()
        .map(TeeStatus::describe).collect(Collectors.joining("; "));
    return "tee: copies " + (config.enabled() ? "on" : "off (shadowcar.shadow.enabled=false or no sink)") + ", "
        + percent(config.samplePercent()) + " sampled " + (config.sampleKey() == null ? "at random"
        : "by " + key(config.sampleKey())) + ", methods " + methods(config.methods()) + ", request bodies up to "
        + config.maxBodyBytes() + " bytes, sinks " + (config.sinks().isEmpty() ? "none" : String.join(",", config.sinks()))
        + "; routes: " + routes;
  }

  private static String describe(RouteRule route) {
    return route.name() + " " + route.path()
        + (route.methods().isEmpty() ? "" : " " + methods(route.methods()))
        + (route.samplePercent() == null ? "" : " " + percent(route.samplePercent()))
        + (route.sinks().isEmpty() ? "" : " -> " + String.join(",", route.sinks()));
  }

  private static JsonObject teeJson(TeeConfig config) {
    JsonArray routes = new JsonArray();
    for (RouteRule route : config.routes()) {
      routes.add(new JsonObject().put("name", route.name()).put("path", route.path())
          .put("methods", methods(route.methods()))
          .put("samplePercent", route.samplePercent())
          .put("sinks", String.join(",", route.sinks())));
    }
    return new JsonObject()
        .put("enabled", config.enabled())
        .put("samplePercent", config.samplePercent())
        .put("sampleKey", config.sampleKey() == null ? null : key(config.sampleKey()))
        .put("methods", methods(config.methods()))
        .put("maxBodyBytes", config.maxBodyBytes())
        .put("sinks", String.join(",", config.sinks()))
        .put("routes", routes);
  }

  private static JsonObject byReason(Map<String, CopyTotals.Count> counts, String prefix) {
    Map<String, Object> sorted = new TreeMap<>();
    counts.forEach((key, count) -> {
      if (key.startsWith(prefix)) {
        sorted.put(key.substring(prefix.length()), count(count));
      }
    });
    return new JsonObject(sorted);
  }

  private static JsonObject count(CopyTotals.Count count) {
    return count == null ? new JsonObject().put("total", 0).put("lastMinute", 0)
        : new JsonObject().put("total", count.total()).put("lastMinute", count.lastMinute());
  }

  private static String methods(Set<HttpMethod> methods) {
    return methods.stream().map(HttpMethod::name).sorted().collect(Collectors.joining(","));
  }

  private static String key(SampleKey key) {
    return key.source().name().toLowerCase(Locale.ROOT) + ":" + key.name();
  }

  private static String percent(double value) {
    return (value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value)) + " %";
  }
}
