package io.shadowcar.health;

import io.shadowcar.health.check.CheckDefinition;
import io.shadowcar.health.check.CheckTarget;
import io.shadowcar.health.check.Thresholds;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Binds flat configuration properties (as the launcher resolved them from its layers) to a {@link HealthConfig}.
 * Pure: it reads only the map it is given. Every problem is reported, one line each, in one
 * {@link IllegalArgumentException} (for {@code --check-config}).
 *
 * <p>Keys (defaults): {@code shadowcar.health.passesBeforeReady} (3), {@code shadowcar.health.failuresBeforeWarning}
 * (= failuresBeforeCritical), {@code shadowcar.health.failuresBeforeCritical} (3),
 * {@code shadowcar.health.warningStatusCode} (429), {@code shadowcar.killswitch.file} (none),
 * {@code shadowcar.killswitch.pollMs} (1000), and per check {@code shadowcar.checks.NAME.} one of {@code args}
 * (comma list, no shell), {@code script} ({@code /bin/sh -c}), {@code http} (URL), {@code tcp} (host:port),
 * {@code ttl.ms}; plus {@code interval.ms} (10000), {@code timeout.ms} (30000 scripts, 10000 others),
 * {@code passesBeforePassing}, {@code failuresBeforeWarning}, {@code failuresBeforeCritical} (the global values),
 * {@code tlsSkipVerify} (false, http checks only).
 *
 * <p>Not for dynamic reloads of scripts: the launcher should bind this once at start (checks are local config only).
 */
public final class HealthProperties {

  public static final String PREFIX_CHECKS = "shadowcar.checks.";
  private static final Set<String> TARGET_KEYS = Set.of("args", "script", "http", "tcp", "ttl.ms");
  private static final Set<String> CHECK_KEYS = Set.of("args", "script", "http", "tcp", "ttl.ms", "interval.ms",
      "timeout.ms", "passesBeforePassing", "failuresBeforeWarning", "failuresBeforeCritical", "tlsSkipVerify");

  private final Map<String, String> properties;
  private final List<String> problems = new ArrayList<>();

  private HealthProperties(Map<String, String> properties) {
    this.properties = properties;
  }

  /** The agent's configuration from {@code properties}; throws with every problem found. */
  public static HealthConfig bind(Map<String, String> properties) {
    HealthProperties binder = new HealthProperties(properties);
    HealthConfig config = binder.bind();
    if (!binder.problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("\n", binder.problems));
    }
    return config;
  }

  private HealthConfig bind() {
    int critical = integer("shadowcar.health.failuresBeforeCritical", 3);
    Thresholds global = attempt(() -> new Thresholds(integer("shadowcar.health.passesBeforeReady", 3),
        integer("shadowcar.health.failuresBeforeWarning", critical), critical), Thresholds.defaults());
    Map<String, Map<String, String>> byCheck = new TreeMap<>();
    properties.forEach((key, value) -> {
      if (key.startsWith(PREFIX_CHECKS)) {
        String rest = key.substring(PREFIX_CHECKS.length());
        int dot = rest.indexOf('.');
        String field = dot < 0 ? "" : rest.substring(dot + 1);
        if (!CHECK_KEYS.contains(field)) {
          problems.add(key + ": unknown key (expected: " + PREFIX_CHECKS + "NAME. followed by one of "
              + new TreeSet<>(CHECK_KEYS) + ")");
        } else {
          byCheck.computeIfAbsent(rest.substring(0, dot), name -> new TreeMap<>()).put(field, value.trim());
        }
      }
    });
    List<CheckDefinition> checks = new ArrayList<>();
    byCheck.forEach((name, fields) -> {
      CheckDefinition check = attempt(() -> {
        try {
          return check(name, fields, global);
        } catch (IllegalArgumentException e) {
          String message = String.valueOf(e.getMessage());
          throw message.startsWith("shadowcar.") ? e
              : new IllegalArgumentException(PREFIX_CHECKS + name + ": " + message, e);
        }
      }, null);
      if (check != null) {
        checks.add(check);
      }
    });
    String file = properties.getOrDefault("shadowcar.killswitch.file", "").trim();
    Duration poll = Duration.ofMillis(integer("shadowcar.killswitch.pollMs", 1000));
    int warningCode = integer("shadowcar.health.warningStatusCode", 429);
    return attempt(() -> new HealthConfig(global, file.isEmpty() ? Optional.empty() : Optional.of(Path.of(file)),
        poll, warningCode, checks), HealthConfig.defaults());
  }

  private CheckDefinition check(String name, Map<String, String> fields, Thresholds global) {
    String prefix = PREFIX_CHECKS + name + ".";
    List<String> targets = fields.keySet().stream().filter(TARGET_KEYS::contains).toList();
    if (targets.size() != 1) {
      throw new IllegalArgumentException(prefix + "*: " + (targets.isEmpty() ? "no target" : targets)
          + " (expected: exactly one of args, script, http, tcp, ttl.ms)");
    }
    String value = fields.get(targets.get(0));
    CheckTarget target = switch (targets.get(0)) {
      case "args" -> new CheckTarget.Args(Arrays.stream(value.split(",")).map(String::trim).toList());
      case "script" -> new CheckTarget.Shell(value);
      case "http" -> new CheckTarget.Http(URI.create(value), bool(prefix + "tlsSkipVerify",
          fields.getOrDefault("tlsSkipVerify", "false")));
      case "tcp" -> CheckTarget.Tcp.parse(value);
      default -> new CheckTarget.Ttl(Duration.ofMillis(number(prefix + "ttl.ms", value)));
    };
    if (fields.containsKey("tlsSkipVerify") && !(target instanceof CheckTarget.Http)) {
      throw new IllegalArgumentException(prefix + "tlsSkipVerify: only for http checks");
    }
    Duration interval = fields.containsKey("interval.ms")
        ? Duration.ofMillis(number(prefix + "interval.ms", fields.get("interval.ms")))
        : CheckDefinition.DEFAULT_INTERVAL;
    Duration timeout = fields.containsKey("timeout.ms")
        ? Duration.ofMillis(number(prefix + "timeout.ms", fields.get("timeout.ms")))
        : CheckDefinition.defaultTimeout(target.kind());
    Thresholds thresholds = global.withOverrides(optional(prefix, fields, "passesBeforePassing"),
        optional(prefix, fields, "failuresBeforeWarning"), optional(prefix, fields, "failuresBeforeCritical"));
    return new CheckDefinition(name, target, interval, timeout, thresholds);
  }

  private static Integer optional(String prefix, Map<String, String> fields, String field) {
    return fields.containsKey(field) ? Math.toIntExact(number(prefix + field, fields.get(field))) : null;
  }

  private int integer(String key, int defaultValue) {
    String value = properties.get(key);
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    return attempt(() -> Math.toIntExact(number(key, value.trim())), defaultValue);
  }

  private static boolean bool(String key, String value) {
    if (!value.equals("true") && !value.equals("false")) {
      throw new IllegalArgumentException(key + ": '" + value + "' (expected: true or false)");
    }
    return Boolean.parseBoolean(value);
  }

  private static long number(String key, String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + ": '" + value + "' (expected: a whole number)");
    }
  }

  private <T> T attempt(Supplier<T> binding, T fallback) {
    try {
      return binding.get();
    } catch (IllegalArgumentException | ArithmeticException e) {
      problems.add(e.getMessage());
      return fallback;
    }
  }
}
