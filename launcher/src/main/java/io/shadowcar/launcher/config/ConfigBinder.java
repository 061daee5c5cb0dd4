package io.shadowcar.launcher.config;

import io.shadowcar.common.config.InvalidConfigException;

import static io.shadowcar.launcher.config.ConfigKeys.*;

import io.shadowcar.eureka.EurekaBinder;
import io.shadowcar.health.HealthBinder;
import io.shadowcar.proxy.ProxyConfig;
import io.shadowcar.templates.TemplateBinder;
import java.time.Duration;
import java.util.Map;

/**
 * Turns a {@link ConfigSnapshot} into a validated {@link SidecarConfig}: with the per-area binders ({@link ProxyBinder},
 * {@link TeeBinder}, {@link KafkaBinder}, and the modules' own {@link HealthBinder}, {@link EurekaBinder},
 * {@link TemplateBinder}) the one place that knows the
 * contract's key names, types and ranges. Every problem in a snapshot
 * is reported, each naming its key; nothing is half-bound.
 *
 * <p>Pure and cheap: call it on every reload and keep the previous result when it throws.
 */
public final class ConfigBinder {

  private ConfigBinder() {}

  /**
   * Binds everything.
   *
   * @throws InvalidConfigException naming every bad key
   */
  public static SidecarConfig bind(ConfigSnapshot snapshot) {
    ConfigReader in = new ConfigReader(snapshot);
    ProxyConfig proxy = ProxyBinder.proxy(in);
    ListenAddress admin = in.record(
        () -> new ListenAddress(in.string(ADMIN_HOST, "127.0.0.1"), in.port(ADMIN_PORT, 7070)),
        Map.of("host", ADMIN_HOST, "port", ADMIN_PORT), ADMIN_HOST);
    DynamicSources dynamic = dynamicSources(in);
    TargetsSpec primary = ProxyBinder.primaryTargets(in);
    TargetsSpec shadow = TargetsParser.parse(in, SHADOW_TARGETS);
    var tee = TeeBinder.tee(in, shadow);
    var httpSink = TeeBinder.httpSink(in);
    var kafka = KafkaBinder.kafka(in);
    var health = HealthBinder.bind(in.view());
    ListenAddress eurekaAdmin = admin == null ? new ListenAddress("127.0.0.1", 7070) : admin;
    var eureka = EurekaBinder.bind(in.view(), eurekaAdmin.host(), eurekaAdmin.port());
    var templates = TemplateBinder.bind(in.view());
    in.throwIfInvalid();
    return new SidecarConfig(proxy, admin, dynamic, primary, shadow, tee, httpSink, kafka, health, eureka, templates);
  }

  /** Only the dynamic sources, read before the dynamic layer exists. */
  public static DynamicSources bindDynamicSources(ConfigSnapshot snapshot) {
    ConfigReader in = new ConfigReader(snapshot);
    DynamicSources sources = dynamicSources(in);
    in.throwIfInvalid();
    return sources;
  }

  private static DynamicSources dynamicSources(ConfigReader in) {
    return new DynamicSources(
        in.path(DYNAMIC_FILE),
        in.url(DYNAMIC_URL),
        in.seconds(DYNAMIC_POLL_SECONDS, Duration.ofSeconds(5), 1, "integer seconds >= 1"),
        in.millis(DYNAMIC_FIRST_POLL_TIMEOUT_MS, Duration.ofSeconds(3), "milliseconds > 0"));
  }
}
