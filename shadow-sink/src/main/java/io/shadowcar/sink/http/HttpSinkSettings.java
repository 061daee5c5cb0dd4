package io.shadowcar.sink.http;

import io.shadowcar.common.config.Setting;
import io.shadowcar.proxy.tls.UpstreamAlpn;
import io.shadowcar.proxy.tls.UpstreamTls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The HTTP sink's keys. They predate the {@code shadowcar.shadow.<tag>.*} convention and keep their historic names
 * (directly under {@code shadowcar.shadow.}). Each default is written here and nowhere else.
 */
public final class HttpSinkSettings {

  /** Defines the sink: no targets, no HTTP sink. Its value is parsed and resolved by the launcher. */
  public static final Setting<List<String>> TARGETS = Setting.list("shadowcar.shadow.targets", "",
      "comma list of base URLs, or eureka:VIPADDRESS", "where HTTP copies go; empty = no HTTP shadow").runtime();
  /**
   * Diffy's noise method: an instance of the primary's version that gets every copy the candidate gets, so a diff can
   * tell differences between two good instances (noise) from real ones. Parsed and resolved by the launcher.
   */
  public static final Setting<List<String>> SECONDARY_TARGETS = Setting.list("shadowcar.shadow.secondary.targets", "",
      "comma list of base URLs, or eureka:VIPADDRESS", "where each HTTP copy also goes (the primary's version, for "
          + "noise); empty = none").runtime();
  public static final Setting<Integer> MAX_INFLIGHT = Setting.intIn("shadowcar.shadow.maxInflight", "1024", 1,
      100_000, "integer 1-100000", "copies in flight at once; over it the copy is dropped (inflight_full)");
  public static final Setting<Integer> MAX_RATE_PER_SECOND = Setting.intIn("shadowcar.shadow.maxRatePerSecond", "0",
      0, 1_000_000, "integer 0-1000000 (0 = no cap)", "copies started per second at most; over it dropped "
          + "(rate_limited); 0 = no cap");
  public static final Setting<Duration> TIMEOUT = Setting.millis("shadowcar.shadow.timeout.ms", 5000, 1,
      "deadline of one copy (connect, pool wait, whole answer); on expiry it fails, up to a tenth of it (at most "
          + "100 ms) late");
  public static final Setting<Integer> MAX_POOL_SIZE = Setting.intIn("shadowcar.shadow.http.maxPoolSize", "64", 1,
      10_000, "integer 1-10000",
      "HTTP/1.1 connections per shadow instance, shared evenly by the event loops that send copies "
          + "(shadowcar.shadow.http.eventLoops; at least one each); as many copies may wait, fewer before a slow "
          + "shadow (as many as its connections are expected to serve within 0.1 s), more are dropped "
          + "(inflight_full)");
  /**
   * Copies on event loops of the sink's own: a shadow whose answers arrive in bursts (a slow one, whose pool refills
   * all at once) then holds up none of the proxy's loops that serve callers.
   */
  public static final Setting<Integer> EVENT_LOOPS = Setting.intIn("shadowcar.shadow.http.eventLoops", "1", 0,
      HttpShadowSinkConfig.MAX_EVENT_LOOPS, "integer 0-" + HttpShadowSinkConfig.MAX_EVENT_LOOPS,
      "event loops of the HTTP sink's own that send the copies and read the shadow's answers, with the connections "
          + "(maxPoolSize) shared evenly among them; 0 = the proxy's event loops that took the copies");
  public static final Setting<Double> BREAKER_FAILURE_RATE_PERCENT = Setting.doubleIn(
      "shadowcar.shadow.breaker.failureRatePercent", "50", 1, 100, "number 1-100",
      "share of failing copies (errors, timeouts, 5xx) that opens the breaker");
  public static final Setting<Integer> BREAKER_MINIMUM_CALLS = Setting.intIn(
      "shadowcar.shadow.breaker.minimumCalls", "20", 1, 10_000, "integer 1-10000",
      "copies observed before the breaker may open (the breaker's window holds at least this many outcomes)");
  public static final Setting<Duration> BREAKER_OPEN = Setting.millis("shadowcar.shadow.breaker.openMs", 10_000, 1,
      "how long an open breaker drops copies (circuit_open) before probing");

  public static final Setting<Optional<Path>> TLS_CA_FILE = Setting.path("shadowcar.shadow.tls.caFile",
      "PEM CA certificates trusted for https:// shadow and secondary targets instead of the JVM's; empty = the JVM's");
  public static final Setting<Boolean> TLS_VERIFY_HOSTNAME = Setting.bool("shadowcar.shadow.tls.verifyHostname",
      UpstreamTls.DEFAULT_VERIFY_HOSTNAME,
      "an https:// shadow or secondary's certificate must name its host; false is logged as a WARN at start");
  public static final Setting<UpstreamAlpn> TLS_ALPN = UpstreamAlpn.setting("shadowcar.shadow.tls.alpn",
      "shadow and secondary targets");

  private HttpSinkSettings() {}

  public static List<Setting<?>> all() {
    return List.of(TARGETS, SECONDARY_TARGETS, MAX_INFLIGHT, MAX_RATE_PER_SECOND, TIMEOUT, MAX_POOL_SIZE, EVENT_LOOPS,
        BREAKER_FAILURE_RATE_PERCENT, BREAKER_MINIMUM_CALLS, BREAKER_OPEN, TLS_CA_FILE, TLS_VERIFY_HOSTNAME, TLS_ALPN);
  }
}
