package io.shadowcar.health.api;

import io.shadowcar.health.HealthAgent;
import io.shadowcar.health.HealthSnapshot;
import io.shadowcar.health.OutOfServiceReason;
import io.shadowcar.health.StatusContributor;
import io.shadowcar.health.check.CheckView;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;

/** Turns the agent's cached state into the admin API's JSON. Pure: no I/O, no check runs. */
final class HealthJson {

  private HealthJson() {}

  static JsonObject check(CheckView view) {
    return new JsonObject()
        .put("name", view.name())
        .put("kind", view.kind().label())
        .put("target", view.target())
        .put("status", view.status().label())
        .put("lastResult", view.lastResultStatus() == null ? null : view.lastResultStatus().label())
        .put("output", view.output())
        .put("durationMs", view.duration() == null ? null : millis(view.duration()))
        .put("lastRun", view.lastRun() == null ? null : view.lastRun().toString())
        .put("runs", view.runs())
        .put("successStreak", view.successStreak())
        .put("failureStreak", view.failureStreak())
        .put("passesBeforePassing", view.thresholds().passesBeforePassing())
        .put("failuresBeforeWarning", view.thresholds().failuresBeforeWarning())
        .put("failuresBeforeCritical", view.thresholds().failuresBeforeCritical());
  }

  static JsonArray checks(HealthAgent agent) {
    JsonArray array = new JsonArray();
    agent.checks().forEach(view -> array.add(check(view)));
    return array;
  }

  /** The status a load balancer sees: critical while not ready or out of service, else the aggregate. */
  static String effectiveStatus(HealthSnapshot snapshot) {
    return !snapshot.ready() || snapshot.outOfService() ? "critical" : snapshot.aggregate().label();
  }

  static JsonObject health(HealthAgent agent) {
    HealthSnapshot snapshot = agent.current();
    return summary(agent, snapshot).put("checks", checks(agent));
  }

  static JsonObject status(HealthAgent agent) {
    HealthSnapshot snapshot = agent.current();
    JsonObject json = summary(agent, snapshot)
        .put("startedAt", agent.startedAt() == null ? null : agent.startedAt().toString())
        .put("killSwitchFile", agent.config().killSwitchFile().map(Object::toString).orElse(null))
        .put("checkCount", agent.checks().size());
    for (StatusContributor contributor : agent.statusContributors()) {
      json.put(contributor.name(), contributed(contributor));
    }
    return json;
  }

  private static JsonObject summary(HealthAgent agent, HealthSnapshot snapshot) {
    JsonArray reasons = new JsonArray();
    agent.outOfServiceReasons().stream().map(OutOfServiceReason::label).sorted().forEach(reasons::add);
    return new JsonObject()
        .put("status", effectiveStatus(snapshot))
        .put("instanceStatus", snapshot.instanceStatus().name())
        .put("ready", snapshot.ready())
        .put("aggregate", snapshot.aggregate().label())
        .put("outOfService", snapshot.outOfService())
        .put("outOfServiceReasons", reasons)
        .put("since", snapshot.at().toString())
        .put("now", Instant.now().toString());
  }

  private static Object contributed(StatusContributor contributor) {
    try {
      JsonObject json = new JsonObject(new LinkedHashMap<>(contributor.status()));
      json.encode(); // fails here, not in the middle of the response, on a value JSON cannot hold
      return json;
    } catch (RuntimeException e) {
      // A contributor bug must not break the status page.
      return new JsonObject().put("error", String.valueOf(e));
    }
  }

  private static double millis(Duration duration) {
    return duration.toNanos() / 1_000_000.0;
  }
}
