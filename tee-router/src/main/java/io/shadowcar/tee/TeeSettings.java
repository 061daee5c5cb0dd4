package io.shadowcar.tee;

import io.shadowcar.common.config.Setting;
import java.util.List;

/**
 * The keys of what the tee copies ({@code shadowcar.shadow.*} except the sinks' own, and {@code shadowcar.routes.*}),
 * each declared once with its default. The launcher binds them into a {@link TeeConfig} and rebinds on every dynamic
 * change.
 */
public final class TeeSettings {

  public static final String ROUTES_PREFIX = "shadowcar.routes.";
  private static final String PERCENT = "number 0-100";

  public static final Setting<Boolean> ENABLED = Setting.bool("shadowcar.shadow.enabled", true,
      "kill switch for all copies; also off when no sink is configured").runtime();
  public static final Setting<Double> SAMPLE_PERCENT = Setting.doubleIn("shadowcar.shadow.sample.percent", "100",
      0, 100, PERCENT, "share of eligible requests copied, decimals allowed").runtime();
  public static final Setting<SampleKey> SAMPLE_KEY = Setting.of("shadowcar.shadow.sample.key", "",
      "header:NAME, cookie:NAME or query:NAME", SampleKey::parse,
      "sample consistently by this value's hash; empty = random draw").runtime();
  public static final Setting<List<String>> METHODS = Setting.list("shadowcar.shadow.methods", "GET,HEAD,OPTIONS",
      "comma list of safe methods (GET, HEAD, OPTIONS, TRACE)",
      "methods copied; unsafe ones only where a route opts in").runtime();
  public static final Setting<Integer> MAX_BODY_BYTES = Setting.intIn("shadowcar.shadow.maxBodyBytes",
      String.valueOf(1 << 20), 0, 64 << 20, "bytes 0-67108864 (64 MiB)",
      "larger request bodies are not copied (body_too_large)").runtime();
  public static final Setting<Long> MAX_BUFFERED_BYTES = Setting.longIn("shadowcar.shadow.maxBufferedBytes",
      "67108864", 0, 1L << 30, "bytes 0-1073741824 (1 GiB), >= maxBodyBytes",
      "bytes all captures may hold together (buffer_full)").runtime();
  public static final Setting<Integer> MAX_CAPTURED_RESPONSE_BYTES = Setting.intIn(
      "shadowcar.shadow.maxCapturedResponseBytes", String.valueOf(64 << 10), 0, 64 << 20,
      "bytes 0-67108864 (64 MiB)",
      "response bytes kept per side for the diff and the Kafka record");
  public static final Setting<String> HEADER = Setting.string("shadowcar.shadow.header", "X-Shadow-Request",
      "header set to true on every copy").runtime();
  public static final Setting<String> HOST_SUFFIX = Setting.string("shadowcar.shadow.hostSuffix", "",
      "appended to the copy's Host name (Envoy uses -shadow)").runtime();
  public static final Setting<List<String>> STRIP_HEADERS = Setting.list("shadowcar.shadow.stripHeaders", "",
      "comma list of header names", "headers removed from every copy, besides credentialHeaders").runtime();

  public static final Setting<List<String>> CREDENTIAL_HEADERS = Setting.list("shadowcar.shadow.credentialHeaders",
      "Authorization,Cookie", "comma list of header names",
      "a caller's credentials: removed from copies unless forwardCredentials").runtime();
  public static final Setting<Boolean> FORWARD_CREDENTIALS = Setting.bool("shadowcar.shadow.forwardCredentials", false,
      "copies keep the credentialHeaders (the shadow can then act as the caller)").runtime();

  public static final Setting<String> ROUTE_PATH = Setting.string(ROUTES_PREFIX + "NAME.path", null,
      "path glob: ? one character, * within a segment, ** across segments; required per route").runtime();
  public static final Setting<List<String>> ROUTE_METHODS = Setting.list(ROUTES_PREFIX + "NAME.methods", "",
      "comma list of HTTP methods", "methods copied on this route (unsafe ones allowed); empty inherits").runtime();
  public static final Setting<Double> ROUTE_SAMPLE_PERCENT = Setting.doubleIn(ROUTES_PREFIX + "NAME.sample.percent",
      null, 0, 100, PERCENT, "overrides shadowcar.shadow.sample.percent on this route").runtime();
  public static final Setting<List<String>> ROUTE_SINKS = Setting.list(ROUTES_PREFIX + "NAME.sinks", "",
      "comma list of sink tags", "where this route's copies go; empty = every configured sink").runtime();
  public static final Setting<Boolean> ROUTE_FORWARD_CREDENTIALS = Setting.of(
      ROUTES_PREFIX + "NAME.forwardCredentials", null, "true or false", raw -> switch (raw.toLowerCase(
          java.util.Locale.ROOT)) {
        case "true" -> Boolean.TRUE;
        case "false" -> Boolean.FALSE;
        default -> null;
      }, "overrides shadowcar.shadow.forwardCredentials on this route; unset inherits").runtime();
  public static final Setting<Integer> ROUTE_ORDER = Setting.intIn(ROUTES_PREFIX + "NAME.order", "100", 0,
      1_000_000, "integer 0-1000000", "routes are tried by order, then name; the first match decides").runtime();

  private TeeSettings() {}

  public static List<Setting<?>> all() {
    return List.of(ENABLED, SAMPLE_PERCENT, SAMPLE_KEY, METHODS, MAX_BODY_BYTES, MAX_BUFFERED_BYTES,
        MAX_CAPTURED_RESPONSE_BYTES, HEADER, HOST_SUFFIX, STRIP_HEADERS, CREDENTIAL_HEADERS, FORWARD_CREDENTIALS,
        ROUTE_PATH, ROUTE_METHODS, ROUTE_SAMPLE_PERCENT, ROUTE_SINKS, ROUTE_FORWARD_CREDENTIALS, ROUTE_ORDER);
  }
}
