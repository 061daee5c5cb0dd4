package io.shadowcar.health;

import io.shadowcar.common.config.Setting;
import io.shadowcar.health.check.CheckTarget;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every key of the health module, declared once: {@code shadowcar.health.*}, {@code shadowcar.killswitch.*} and the
 * {@code shadowcar.checks.NAME.*} family. {@link HealthBinder} reads them; the launcher's catalog rejects any other
 * key under these prefixes. Checks are local config only: nothing over the API defines or changes one.
 */
public final class HealthSettings {

  /** Family prefix of the checks; the segment after it is the check's name. */
  public static final String CHECKS = "shadowcar.checks.";
  private static final String ROUNDS = "rounds 1-10000";

  public static final Setting<Integer> PASSES_BEFORE_READY = Setting.intIn("shadowcar.health.passesBeforeReady",
      "3", 1, 10_000, ROUNDS, "consecutive passing rounds before a check passes and the instance is ready/UP");
  public static final Setting<Integer> FAILURES_BEFORE_CRITICAL = Setting.intIn(
      "shadowcar.health.failuresBeforeCritical", "3", 1, 10_000, ROUNDS,
      "consecutive failing rounds before a check is critical (DOWN)");
  public static final Setting<Integer> FAILURES_BEFORE_WARNING = Setting.intIn(
      "shadowcar.health.failuresBeforeWarning", null, 1, 10_000, ROUNDS,
      "consecutive failing rounds before a check warns; unset = failuresBeforeCritical");
  public static final Setting<Duration> STARTUP_INTERVAL = Setting.millis("shadowcar.health.startupInterval.ms", 1000,
      100, "until the instance is ready, checks run this often (their own interval if shorter)");
  public static final Setting<Integer> WARNING_STATUS_CODE = Setting.of("shadowcar.health.warningStatusCode", "429",
      "200 or 429", raw -> raw.equals("200") || raw.equals("429") ? Integer.valueOf(raw) : null,
      "what /healthcheck answers while warning (200 for load balancers that only know 200)");
  public static final Setting<String> LISTENER_HOST = Setting.string("shadowcar.health.host", "0.0.0.0",
      "interface of the health port: the read-only /healthcheck, /ready, /api/status and status page");
  public static final Setting<Integer> LISTENER_PORT = Setting.intIn("shadowcar.health.port", "7071", -1, 65535,
      "port 0-65535 (0 = any free port), or -1 for none",
      "health port for load balancers and Eureka; -1 = none (they must reach the admin port)");
  public static final Setting<Optional<Path>> KILL_SWITCH_FILE = Setting.path("shadowcar.killswitch.file",
      "while this file exists the instance is OUT_OF_SERVICE");
  public static final Setting<Duration> KILL_SWITCH_POLL = Setting.millis("shadowcar.killswitch.pollMs", 1000, 10,
      "how often the kill switch file is looked at");

  public static final Setting<List<String>> CHECK_ARGS = Setting.list(CHECKS + "NAME.args", null,
      "comma list: a command and its arguments", "a check command run without a shell");
  public static final Setting<String> CHECK_SCRIPT = Setting.string(CHECKS + "NAME.script", null,
      "a check script run under /bin/sh -c");
  public static final Setting<URI> CHECK_HTTP = Setting.of(CHECKS + "NAME.http", null,
      "an http:// or https:// URL with a host", URI::new, "a check URL: GET, 2xx passes, 429 warns, else critical");
  public static final Setting<Boolean> CHECK_TLS_SKIP_VERIFY = Setting.bool(CHECKS + "NAME.tlsSkipVerify", false,
      "http checks: accept any certificate and host name");
  public static final Setting<CheckTarget.Tcp> CHECK_TCP = Setting.of(CHECKS + "NAME.tcp", null, "host:port",
      CheckTarget.Tcp::parse, "a check address: connected passes, else critical");
  public static final Setting<Duration> CHECK_TTL = Setting.of(CHECKS + "NAME.ttl.ms", null, "milliseconds >= 1000",
      raw -> Long.parseLong(raw) >= 1000 ? Duration.ofMillis(Long.parseLong(raw)) : null,
      "a TTL check pushed via PUT /api/checks/NAME/pass|warn|fail; no push in time is critical");
  public static final Setting<Duration> CHECK_INTERVAL = Setting.millis(CHECKS + "NAME.interval.ms", 10_000, 1000,
      "gap between the end of one run and the next start");
  public static final Setting<Duration> CHECK_TIMEOUT = Setting.of(CHECKS + "NAME.timeout.ms", null,
      "milliseconds > 0", raw -> Long.parseLong(raw) > 0 ? Duration.ofMillis(Long.parseLong(raw)) : null,
      "time limit of one run (unset: 30000 scripts, 10000 others); a script is killed on expiry");
  public static final Setting<Integer> CHECK_PASSES = Setting.intIn(CHECKS + "NAME.passesBeforePassing", null, 1,
      10_000, ROUNDS, "this check's pass streak; unset = shadowcar.health.passesBeforeReady");
  public static final Setting<Integer> CHECK_FAILURES_BEFORE_WARNING = Setting.intIn(
      CHECKS + "NAME.failuresBeforeWarning", null, 1, 10_000, ROUNDS,
      "this check's failures before warning; unset = the global value, at most its failuresBeforeCritical");
  public static final Setting<Integer> CHECK_FAILURES_BEFORE_CRITICAL = Setting.intIn(
      CHECKS + "NAME.failuresBeforeCritical", null, 1, 10_000, ROUNDS,
      "this check's failures before critical; unset = shadowcar.health.failuresBeforeCritical");

  /** The keys that say what a check probes: exactly one per check. */
  public static final List<Setting<?>> CHECK_TARGETS =
      List.of(CHECK_ARGS, CHECK_SCRIPT, CHECK_HTTP, CHECK_TCP, CHECK_TTL);

  private HealthSettings() {}

  public static List<Setting<?>> all() {
    return List.of(LISTENER_HOST, LISTENER_PORT, PASSES_BEFORE_READY, FAILURES_BEFORE_CRITICAL, FAILURES_BEFORE_WARNING, STARTUP_INTERVAL,
        WARNING_STATUS_CODE,
        KILL_SWITCH_FILE, KILL_SWITCH_POLL, CHECK_ARGS, CHECK_SCRIPT, CHECK_HTTP, CHECK_TLS_SKIP_VERIFY, CHECK_TCP,
        CHECK_TTL, CHECK_INTERVAL, CHECK_TIMEOUT, CHECK_PASSES, CHECK_FAILURES_BEFORE_WARNING,
        CHECK_FAILURES_BEFORE_CRITICAL);
  }
}
