package io.shadowcar.health;

import static io.shadowcar.health.HealthSettings.*;

import io.shadowcar.common.config.ConfigProblem;
import io.shadowcar.common.config.ConfigView;
import io.shadowcar.common.config.Setting;
import io.shadowcar.health.check.CheckDefinition;
import io.shadowcar.health.check.CheckTarget;
import io.shadowcar.health.check.Thresholds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Binds {@link HealthSettings} from a {@link ConfigView} to a {@link HealthConfig}. Every problem is recorded in the
 * view on its exact key ({@code shadowcar.checks.db.tcp: 'x' (expected: host:port)}); unknown keys are the launcher's
 * catalog's job. Pure: it reads only the view.
 *
 * <p>Bind once at start, not on dynamic reloads: checks are local config only.
 */
public final class HealthBinder {

  private HealthBinder() {}

  /** The agent's configuration, or {@code null} after recording problems in {@code view}: never half-bound. */
  public static HealthConfig bind(ConfigView view) {
    int problemsBefore = view.problems().size();
    Thresholds global = globalThresholds(view);
    List<CheckDefinition> checks = new ArrayList<>();
    for (String name : view.names(CHECKS)) {
      CheckDefinition check = check(view, name, global == null ? Thresholds.defaults() : global);
      if (check != null) {
        checks.add(check);
      }
    }
    var file = view.get(KILL_SWITCH_FILE);
    Duration poll = view.get(KILL_SWITCH_POLL);
    Duration startupInterval = view.get(STARTUP_INTERVAL);
    int warningCode = view.get(WARNING_STATUS_CODE);
    if (view.problems().size() > problemsBefore) {
      return null;
    }
    return view.build(() -> new HealthConfig(global, file, poll, startupInterval, warningCode, checks), Map.of(
        "killSwitchPoll", KILL_SWITCH_POLL.key(), "startupInterval", STARTUP_INTERVAL.key(),
        "warningStatusCode", WARNING_STATUS_CODE.key()), CHECKS + "*");
  }

  private static Thresholds globalThresholds(ConfigView view) {
    int critical = view.get(FAILURES_BEFORE_CRITICAL);
    Integer warning = view.get(FAILURES_BEFORE_WARNING);
    int passes = view.get(PASSES_BEFORE_READY);
    return view.build(() -> new Thresholds(passes, warning == null ? critical : warning, critical), Map.of(
        "passesBeforePassing", PASSES_BEFORE_READY.key(),
        "failuresBeforeWarning", FAILURES_BEFORE_WARNING.key(),
        "failuresBeforeCritical", FAILURES_BEFORE_CRITICAL.key()), FAILURES_BEFORE_WARNING.key());
  }

  private static CheckDefinition check(ConfigView view, String name, Thresholds global) {
    List<Setting<?>> targets = CHECK_TARGETS.stream().filter(s -> view.isSet(s, name)).toList();
    if (targets.size() != 1) {
      String given = targets.stream().map(s -> s.key(name)).collect(Collectors.joining(", "));
      view.problem(new ConfigProblem(CHECKS + name, targets.isEmpty() ? null : given,
          "exactly one of .args, .script, .http, .tcp, .ttl.ms"));
      return null;
    }
    Setting<?> kind = targets.get(0);
    String key = kind.key(name);
    boolean tlsSkipVerify = view.get(CHECK_TLS_SKIP_VERIFY, name);
    if (view.isSet(CHECK_TLS_SKIP_VERIFY, name) && kind != CHECK_HTTP) {
      view.problem(CHECK_TLS_SKIP_VERIFY.key(name), "only on http checks");
    }
    CheckTarget target = view.build(() -> target(view, name, kind, tlsSkipVerify),
        Map.of("args", key, "script", key, "http", key, "tcp", key, "ttl", key), key);
    Integer passes = view.get(CHECK_PASSES, name);
    Integer warning = view.get(CHECK_FAILURES_BEFORE_WARNING, name);
    Integer critical = view.get(CHECK_FAILURES_BEFORE_CRITICAL, name);
    Duration interval = view.get(CHECK_INTERVAL, name);
    Duration timeout = view.get(CHECK_TIMEOUT, name);
    Thresholds thresholds = view.build(() -> global.withOverrides(passes, warning, critical), Map.of(
        "passesBeforePassing", passes != null ? CHECK_PASSES.key(name) : PASSES_BEFORE_READY.key(),
        "failuresBeforeWarning", CHECK_FAILURES_BEFORE_WARNING.key(name),
        "failuresBeforeCritical", critical != null ? CHECK_FAILURES_BEFORE_CRITICAL.key(name)
            : FAILURES_BEFORE_CRITICAL.key()), CHECK_FAILURES_BEFORE_WARNING.key(name));
    if (target == null || thresholds == null) {
      return null;
    }
    return view.build(() -> new CheckDefinition(name, target, interval,
            timeout != null ? timeout : CheckDefinition.defaultTimeout(target.kind()), thresholds),
        Map.of("name", key, "interval", CHECK_INTERVAL.key(name), "timeout", CHECK_TIMEOUT.key(name)), key);
  }

  /** The target named by {@code kind}; a value that does not parse yields null (the view has the problem). */
  private static CheckTarget target(ConfigView view, String name, Setting<?> kind, boolean tlsSkipVerify) {
    if (kind == CHECK_ARGS) {
      var args = view.get(CHECK_ARGS, name);
      return args == null ? null : new CheckTarget.Args(args);
    }
    if (kind == CHECK_SCRIPT) {
      return new CheckTarget.Shell(view.get(CHECK_SCRIPT, name));
    }
    if (kind == CHECK_HTTP) {
      var url = view.get(CHECK_HTTP, name);
      return url == null ? null : new CheckTarget.Http(url, tlsSkipVerify);
    }
    if (kind == CHECK_TCP) {
      return view.get(CHECK_TCP, name);
    }
    var ttl = view.get(CHECK_TTL, name);
    return ttl == null ? null : new CheckTarget.Ttl(ttl);
  }
}
