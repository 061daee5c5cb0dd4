package io.shadowcar.launcher.config;

import io.shadowcar.common.config.InvalidConfigException;

import static io.shadowcar.launcher.config.ConfigKeys.*;

import io.shadowcar.common.config.ConfigView;
import io.shadowcar.proxy.ProxyConfig;
import io.shadowcar.sink.ShadowSinkProviders;
import java.time.Duration;
import java.util.Map;

/**
 * Turns a {@link ConfigSnapshot} into a validated {@link SidecarConfig}: with the per-area binders ({@link ProxyBinder},
 * {@link TeeBinder}, {@link EurekaBinder}, {@link ModuleBinder}) and the sink providers
 * ({@link ShadowSinkProviders}, which bind their own keys) the one place that knows the contract's key names, types
 * and ranges. Every problem in a snapshot
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
    ConfigView view = in.view();
    ProxyConfig proxy = ProxyBinder.proxy(view);
    ListenAddress admin = view.build(
        () -> new ListenAddress(view.get(LauncherSettings.ADMIN_HOST), view.get(LauncherSettings.ADMIN_PORT)),
        Map.of("host", LauncherSettings.ADMIN_HOST.key(), "port", LauncherSettings.ADMIN_PORT.key()),
        LauncherSettings.ADMIN_HOST.key());
    DynamicSources dynamic = dynamicSources(view);
    TargetsSpec primary = ProxyBinder.primaryTargets(view);
    TargetsSpec shadow = TargetsParser.parse(in, SHADOW_TARGETS);
    var sinks = ShadowSinkProviders.bindAll(view);
    var tee = TeeBinder.tee(view, sinks);
    var health = ModuleBinder.health(in);
    var eureka = EurekaBinder.eureka(in, admin == null ? new ListenAddress("127.0.0.1", 7070) : admin);
    var templates = ModuleBinder.templates(in);
    in.throwIfInvalid();
    return new SidecarConfig(proxy, admin, dynamic, primary, shadow, tee, sinks, health, eureka, templates);
  }

  /** Only the dynamic sources, read before the dynamic layer exists. */
  public static DynamicSources bindDynamicSources(ConfigSnapshot snapshot) {
    ConfigView view = ConfigView.of(snapshot.values());
    DynamicSources sources = dynamicSources(view);
    view.throwIfInvalid();
    return sources;
  }

  private static DynamicSources dynamicSources(ConfigView in) {
    return new DynamicSources(
        in.get(LauncherSettings.DYNAMIC_FILE),
        in.get(LauncherSettings.DYNAMIC_URL),
        Duration.ofSeconds(in.get(LauncherSettings.DYNAMIC_POLL_SECONDS)),
        in.get(LauncherSettings.DYNAMIC_FIRST_POLL_TIMEOUT));
  }
}
