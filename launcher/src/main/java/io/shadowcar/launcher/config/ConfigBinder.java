package io.shadowcar.launcher.config;

import static io.shadowcar.launcher.config.ConfigKeys.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a {@link ConfigSnapshot} into a validated {@link SidecarConfig}: the one place that knows the contract's key
 * names, their types and ranges. Every problem in a snapshot is reported, each naming its key; nothing is half-bound.
 *
 * <p>Pure and cheap: call it on every reload and keep the previous result when it throws.
 */
public final class ConfigBinder {

  private static final Pattern METHOD = Pattern.compile("[A-Z]+");
  private static final Pattern SAMPLE_KEY = Pattern.compile("(header|cookie|query):\\S+");
  private static final Set<String> SINKS = Set.of("http", "kafka");
  private static final String PERCENT = "number 0-100";

  private ConfigBinder() {}

  /**
   * Binds everything.
   *
   * @throws InvalidConfigException naming every bad key
   */
  public static SidecarConfig bind(ConfigSnapshot snapshot) {
    ConfigReader in = new ConfigReader(snapshot);
    ListenAddress proxy = listen(in, PROXY_HOST, PROXY_PORT, 7000);
    ListenAddress admin = listen(in, ADMIN_HOST, ADMIN_PORT, 7070);
    Duration drain = in.seconds(PROXY_DRAIN_SECONDS, Duration.ofSeconds(10), 0, "seconds >= 0");
    DynamicSources dynamic = dynamicSources(in);
    PrimarySettings primary = primary(in);
    ShadowSettings shadow = shadow(in);
    in.throwIfInvalid();
    return new SidecarConfig(proxy, admin, drain, dynamic, primary, shadow);
  }

  /** Only the dynamic sources, read before the dynamic layer exists. */
  public static DynamicSources bindDynamicSources(ConfigSnapshot snapshot) {
    ConfigReader in = new ConfigReader(snapshot);
    DynamicSources sources = dynamicSources(in);
    in.throwIfInvalid();
    return sources;
  }

  private static ListenAddress listen(ConfigReader in, String hostKey, String portKey, int defaultPort) {
    return new ListenAddress(in.string(hostKey, "127.0.0.1"), in.port(portKey, defaultPort));
  }

  private static DynamicSources dynamicSources(ConfigReader in) {
    return new DynamicSources(
        in.path(DYNAMIC_FILE),
        in.url(DYNAMIC_URL),
        in.seconds(DYNAMIC_POLL_SECONDS, Duration.ofSeconds(5), 1, "integer seconds >= 1"),
        in.millis(DYNAMIC_FIRST_POLL_TIMEOUT_MS, Duration.ofSeconds(3), "milliseconds > 0"));
  }

  private static PrimarySettings primary(ConfigReader in) {
    String raw = in.required(PRIMARY_TARGETS, "comma list of base URLs, or eureka:VIPADDRESS");
    TargetsSpec targets = raw.isEmpty() ? TargetsSpec.NONE : TargetsParser.parse(in, PRIMARY_TARGETS);
    Duration timeout = in.millis(PRIMARY_TIMEOUT_MS, Duration.ofSeconds(30), "milliseconds > 0");
    // an empty result was already reported; null never escapes because bind() throws first
    return targets.isEmpty() ? null : new PrimarySettings(targets, timeout);
  }

  private static ShadowSettings shadow(ConfigReader in) {
    List<String> methods = methods(in, SHADOW_METHODS, List.of("GET", "HEAD", "OPTIONS"));
    Optional<String> sampleKey = in.optional(SHADOW_SAMPLE_KEY);
    if (sampleKey.isPresent() && !SAMPLE_KEY.matcher(sampleKey.get()).matches()) {
      in.problem(SHADOW_SAMPLE_KEY, "header:NAME, cookie:NAME or query:NAME");
    }
    Optional<String> bootstrap = in.optional(SHADOW_KAFKA_BOOTSTRAP);
    Optional<String> topic = in.optional(SHADOW_KAFKA_TOPIC);
    if (bootstrap.isPresent() && topic.isEmpty()) {
      in.problem(SHADOW_KAFKA_TOPIC, "a topic name when " + SHADOW_KAFKA_BOOTSTRAP + " is set");
    }
    return new ShadowSettings(
        in.bool(SHADOW_ENABLED, true),
        TargetsParser.parse(in, SHADOW_TARGETS),
        in.doubleIn(SHADOW_SAMPLE_PERCENT, 100, 0, 100, PERCENT),
        sampleKey,
        methods,
        in.positiveInt(SHADOW_MAX_INFLIGHT, 1024),
        in.intIn(SHADOW_MAX_RATE, 0, 0, Integer.MAX_VALUE, "integer >= 0 (0 = no cap)"),
        in.positiveInt(SHADOW_MAX_BODY_BYTES, 1_048_576),
        in.millis(SHADOW_TIMEOUT_MS, Duration.ofSeconds(5), "milliseconds > 0"),
        in.string(SHADOW_HEADER, "X-Shadow-Request"),
        in.string(SHADOW_HOST_SUFFIX, ""),
        bootstrap,
        topic,
        routes(in));
  }

  private static List<ShadowSettings.RouteSettings> routes(ConfigReader in) {
    List<ShadowSettings.RouteSettings> routes = new ArrayList<>();
    for (String name : in.snapshot().names(ROUTES_PREFIX)) {
      String prefix = ROUTES_PREFIX + name + ".";
      String path = in.required(prefix + "path", "a path glob such as /api/**");
      if (!path.isEmpty() && !path.startsWith("/")) {
        in.problem(prefix + "path", "a path glob starting with /");
      }
      List<String> methods = methods(in, prefix + "methods", List.of());
      Optional<Double> percent = in.optional(prefix + "sample.percent").isPresent()
          ? Optional.of(in.doubleIn(prefix + "sample.percent", 100, 0, 100, PERCENT))
          : Optional.empty();
      List<String> sinks = in.list(prefix + "sinks", List.of());
      if (!SINKS.containsAll(sinks)) {
        in.problem(prefix + "sinks", "comma list of http, kafka");
      }
      routes.add(new ShadowSettings.RouteSettings(name, path, methods, percent, sinks));
    }
    return routes;
  }

  private static List<String> methods(ConfigReader in, String key, List<String> fallback) {
    List<String> methods = in.list(key, fallback).stream().map(m -> m.toUpperCase(Locale.ROOT)).toList();
    if (!methods.stream().allMatch(m -> METHOD.matcher(m).matches())) {
      in.problem(key, "comma list of HTTP methods, e.g. GET,HEAD,OPTIONS");
      return fallback;
    }
    return methods;
  }
}
