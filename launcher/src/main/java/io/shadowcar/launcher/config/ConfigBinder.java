package io.shadowcar.launcher.config;

import io.shadowcar.common.config.ConfigProblem;
import io.shadowcar.common.config.ConfigView;
import io.shadowcar.common.config.InvalidConfigException;
import io.shadowcar.eureka.EurekaBinder;
import io.shadowcar.health.HealthBinder;
import io.shadowcar.health.HealthSettings;
import io.shadowcar.launcher.admin.Loopback;
import io.shadowcar.launcher.logging.AccessLogConfig;
import io.shadowcar.proxy.ProxyConfig;
import io.shadowcar.proxy.TrustedProxies;
import io.shadowcar.proxy.tls.ServerTls;
import io.shadowcar.proxy.tls.TlsBinding;
import io.shadowcar.sink.ShadowSinkProviders;
import io.shadowcar.sink.http.HttpSinkSettings;
import io.shadowcar.templates.TemplateBinder;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a {@link ConfigSnapshot} into a validated {@link SidecarConfig}. Each module binds its own declared keys from
 * one {@link ConfigView} (the launcher's {@link ProxyBinder} and {@link TeeBinder}, the sink providers, the health,
 * Eureka, template and diff binders); this class only composes them and rejects keys nobody declared
 * ({@link KnownSettings}) and keys a dynamic source may not set ({@link DynamicSourceRule}). Every problem in a
 * snapshot is reported, each naming its key; nothing is half-bound.
 *
 * <p>Pure and cheap: call it on every reload and keep the previous result when it throws.
 */
public final class ConfigBinder {

  private ConfigBinder() {}

  /**
   * Binds everything.
   *
   * @throws InvalidConfigException naming every bad or unknown key, and every non-runtime key from a dynamic source
   */
  public static SidecarConfig bind(ConfigSnapshot snapshot) {
    return bind(snapshot, true);
  }

  /**
   * Binds a dynamic change: as {@link #bind(ConfigSnapshot)}, without reading the files named by keys that need a
   * restart anyway (see {@link ConfigView#of(Map, boolean)}), so such a file never blocks a change.
   */
  public static SidecarConfig bindChange(ConfigSnapshot snapshot) {
    return bind(snapshot, false);
  }

  private static SidecarConfig bind(ConfigSnapshot snapshot, boolean readsFiles) {
    ConfigView view = ConfigView.of(snapshot.values(), readsFiles);
    KnownSettings.catalog().unknownKeys(snapshot.values()).forEach(view::problem);
    DynamicSourceRule.problems(snapshot, KnownSettings.catalog()).forEach(view::problem);
    ProxyConfig proxy = ProxyBinder.proxy(view);
    ListenAddress admin = view.build(
        () -> new ListenAddress(view.get(LauncherSettings.ADMIN_HOST), view.get(LauncherSettings.ADMIN_PORT)),
        Map.of("host", LauncherSettings.ADMIN_HOST.key(), "port", LauncherSettings.ADMIN_PORT.key()),
        LauncherSettings.ADMIN_HOST.key());
    DynamicSources dynamic = dynamicSources(view);
    TargetsSpec primary = ProxyBinder.primaryTargets(view);
    TargetsSpec shadow = TargetsParser.parse(view, HttpSinkSettings.TARGETS.key());
    TargetsSpec secondary = TargetsParser.parse(view, HttpSinkSettings.SECONDARY_TARGETS.key());
    var sinks = ShadowSinkProviders.bindAll(view);
    var tee = TeeBinder.tee(view, sinks);
    var health = HealthBinder.bind(view);
    AdminAccessConfig adminAccess = adminAccess(view, admin);
    Optional<ServerTls> adminTls = TlsBinding.server(view, LauncherSettings.ADMIN_TLS);
    Optional<ListenAddress> healthPort = healthPort(view);
    ListenAddress statusPort = healthPort.orElse(admin == null
        ? new ListenAddress(LauncherSettings.ADMIN_HOST.defaultValue(), LauncherSettings.ADMIN_PORT.defaultValue())
        : admin);
    // without a health port the admin port serves Eureka's URLs, over TLS when it has it
    String statusScheme = healthPort.isEmpty() && adminTls.isPresent() ? "https" : "http";
    var eureka = EurekaBinder.bind(view, statusScheme, statusPort.host(), statusPort.port());
    TrustedProxies trustedProxies = ProxyBinder.trustedProxies(view);
    MaskConfig mask = MaskConfig.bind(view);
    var templates = TemplateBinder.bind(view);
    var diff = DiffSetup.bind(view);
    // Level and format are applied by logback before this runs; read here so a bad value is reported.
    view.get(LauncherSettings.LOG_LEVEL);
    view.get(LauncherSettings.LOG_FORMAT);
    boolean accessLogEnabled = view.get(LauncherSettings.ACCESS_LOG_ENABLED);
    double accessLogPercent = view.get(LauncherSettings.ACCESS_LOG_SAMPLE_PERCENT);
    AccessLogConfig accessLog = view.build(() -> new AccessLogConfig(accessLogEnabled, accessLogPercent),
        Map.of("enabled", LauncherSettings.ACCESS_LOG_ENABLED.key(),
            "samplePercent", LauncherSettings.ACCESS_LOG_SAMPLE_PERCENT.key()),
        LauncherSettings.ACCESS_LOG_ENABLED.key());
    NetworkTransport transport = view.get(LauncherSettings.TRANSPORT);
    int threadNice = view.get(LauncherSettings.THREAD_NICE);
    view.throwIfInvalid();
    return new SidecarConfig(proxy, admin, dynamic, primary, shadow, secondary, tee, sinks, health, eureka, templates,
        diff, accessLog, adminAccess, healthPort, trustedProxies, mask, adminTls, transport, threadNice);
  }

  /**
   * The admin token and allowed hosts. An admin port off loopback without a token is a problem: anyone who reaches
   * it could take the instance out of service or clear the diff.
   */
  private static AdminAccessConfig adminAccess(ConfigView in, ListenAddress admin) {
    String token = in.get(LauncherSettings.ADMIN_TOKEN);
    var tokenFile = in.get(LauncherSettings.ADMIN_TOKEN_FILE);
    var allowed = in.get(LauncherSettings.ADMIN_ALLOWED_HOSTS);
    AdminAccessConfig access = in.build(() -> new AdminAccessConfig(Optional.of(token), tokenFile, allowed),
        Map.of("token", LauncherSettings.ADMIN_TOKEN.key(),
            "allowedHosts", LauncherSettings.ADMIN_ALLOWED_HOSTS.key()), LauncherSettings.ADMIN_TOKEN.key());
    if (access != null && admin != null && !Loopback.isLoopbackHost(admin.host()) && !access.hasToken()) {
      in.problem(new ConfigProblem(LauncherSettings.ADMIN_TOKEN.key(), null, "an admin token (shadowcar.admin.token "
          + "or shadowcar.admin.tokenFile) because shadowcar.admin.host " + admin.host() + " is not loopback: "
          + "whoever reaches the port could change the instance's status"));
    }
    return access;
  }

  /** The health port, or empty for {@code shadowcar.health.port=-1}. */
  private static Optional<ListenAddress> healthPort(ConfigView in) {
    String host = in.get(HealthSettings.LISTENER_HOST);
    int port = in.get(HealthSettings.LISTENER_PORT);
    if (port < 0) {
      return Optional.empty();
    }
    return Optional.ofNullable(in.build(() -> new ListenAddress(host, port),
        Map.of("host", HealthSettings.LISTENER_HOST.key(), "port", HealthSettings.LISTENER_PORT.key()),
        HealthSettings.LISTENER_HOST.key()));
  }

  /** Only the dynamic sources, read before the dynamic layer exists. */
  public static DynamicSources bindDynamicSources(ConfigSnapshot snapshot) {
    ConfigView view = ConfigView.of(snapshot.values());
    DynamicSources sources = dynamicSources(view);
    view.throwIfInvalid();
    return sources;
  }

  private static DynamicSources dynamicSources(ConfigView in) {
    return in.build(() -> new DynamicSources(
        in.get(LauncherSettings.DYNAMIC_FILE),
        in.get(LauncherSettings.DYNAMIC_URL),
        Duration.ofSeconds(in.get(LauncherSettings.DYNAMIC_POLL_SECONDS)),
        in.get(LauncherSettings.DYNAMIC_FIRST_POLL_TIMEOUT),
        in.get(LauncherSettings.DYNAMIC_ALLOW_INSECURE_URL)),
        Map.of("url", LauncherSettings.DYNAMIC_URL.key(), "poll", LauncherSettings.DYNAMIC_POLL_SECONDS.key(),
            "firstPollTimeout", LauncherSettings.DYNAMIC_FIRST_POLL_TIMEOUT.key()),
        LauncherSettings.DYNAMIC_URL.key());
  }
}
