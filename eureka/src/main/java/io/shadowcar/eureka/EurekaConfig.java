package io.shadowcar.eureka;

import io.shadowcar.common.config.InvalidValueException;
import io.shadowcar.eureka.rest.InstanceDocument;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How this sidecar registers the service it manages with Eureka, and how it reads VIPs from Eureka.
 *
 * <p>The instance fields ({@code instanceHost}, {@code instanceIp}, {@code instancePort}) describe the SIDE-MANAGED
 * service, never the sidecar itself: clients that look the VIP up must reach the service (Prana registered its own
 * port, a known defect). The health and status URLs point at the sidecar's health port (or, without one, at its
 * admin port), on the managed instance's address.
 *
 * <p>Discovery alone ({@link EurekaVipDiscovery}) uses only {@code serviceUrls}, {@code requestTimeout} and
 * {@code discoveryRefresh}: a disabled config with the right service URLs is enough for it. Not for the sidecar's own
 * ports: nothing here registers the proxy or admin port as the instance.
 *
 * @param enabled register with Eureka ({@code shadowcar.eureka.enabled}, default false)
 * @param serviceUrls Eureka base URLs such as {@code http://eureka:8761/eureka}, tried in order on failure
 * @param app application name; Eureka upper-cases it ({@code shadowcar.eureka.app}, required when enabled)
 * @param vipAddress VIP other services look up ({@code .vipAddress}; blank = {@code app} lower-cased)
 * @param instanceHost host name of the managed service ({@code .instanceHost}; blank = {@code instanceIp})
 * @param instanceIp IP of the managed service ({@code .instanceIp}, required when enabled)
 * @param instancePort port of the managed service ({@code .instancePort}, required when enabled)
 * @param instanceId unique id in the app ({@code .instanceId}; blank = {@code host:app:port})
 * @param healthCheckUrl the sidecar's {@code /healthcheck} on its health port, or null to leave out
 * @param statusPageUrl the sidecar's {@code /api/status} on its health port, or null to leave out
 * @param metadata free key/values shown to Eureka clients ({@code .metadata.KEY})
 * @param heartbeatInterval time between renewals ({@code .heartbeat.ms}, default 30 s)
 * @param leaseDuration how long Eureka keeps the instance without renewal ({@code .lease.ms}, default 90 s,
 *     whole seconds, longer than the heartbeat interval)
 * @param drain how long the instance stays DOWN before it deregisters on shutdown ({@code .drain.ms}, default 10 s;
 *     0 deregisters at once)
 * @param retryMin first back-off after a failed call ({@code .retry.min.ms}, default 1 s)
 * @param retryMax back-off cap, doubling from {@code retryMin} ({@code .retry.max.ms}, default 60 s); the registrar
 *     never waits longer than {@code heartbeatInterval} between tries, whatever this says
 * @param requestTimeout time limit of one call to Eureka ({@code .request.timeout.ms}, default 5 s)
 * @param discoveryRefresh time between VIP fetches for {@code eureka:VIP} targets ({@code .discovery.refresh.ms},
 *     default 5 s)
 */
public record EurekaConfig(
    boolean enabled,
    List<URI> serviceUrls,
    String app,
    String vipAddress,
    String instanceHost,
    String instanceIp,
    int instancePort,
    String instanceId,
    URI healthCheckUrl,
    URI statusPageUrl,
    Map<String, String> metadata,
    Duration heartbeatInterval,
    Duration leaseDuration,
    Duration drain,
    Duration retryMin,
    Duration retryMax,
    Duration requestTimeout,
    Duration discoveryRefresh) {

  /** Characters Eureka accepts in a path segment without escaping; keeps app, id and VIP safe to put in a URL. */
  static final Pattern PATH_SAFE = Pattern.compile("[A-Za-z0-9._:@\\-]+");

  /** The declared default of {@code shadowcar.eureka.serviceUrl}. */
  public static final URI DEFAULT_SERVICE_URL = EurekaSettings.SERVICE_URL.defaultValue().get(0);

  public EurekaConfig {
    serviceUrls = List.copyOf(Objects.requireNonNull(serviceUrls, "serviceUrls"));
    InvalidValueException.check(!serviceUrls.isEmpty(), "serviceUrls", "", "at least one http(s) URL");
    for (URI url : serviceUrls) {
      InvalidValueException.check(url.isAbsolute() && ("http".equals(url.getScheme())
          || "https".equals(url.getScheme())) && url.getHost() != null, "serviceUrls", url,
          "http(s)://host:port/eureka");
    }
    app = blankToEmpty(app);
    instanceIp = blankToEmpty(instanceIp);
    instanceHost = blankToEmpty(instanceHost).isEmpty() ? instanceIp : instanceHost.strip();
    vipAddress = blankToEmpty(vipAddress).isEmpty() ? app.toLowerCase(java.util.Locale.ROOT) : vipAddress.strip();
    instanceId = blankToEmpty(instanceId).isEmpty() && !app.isEmpty()
        ? instanceHost + ":" + app.toLowerCase(java.util.Locale.ROOT) + ":" + instancePort
        : blankToEmpty(instanceId);
    metadata = Map.copyOf(Objects.requireNonNull(metadata, "metadata"));
    InvalidValueException.check(instancePort >= 0 && instancePort <= 65_535, "instancePort", instancePort,
        "1..65535");
    if (enabled) {
      requirePathSafe("app", app);
      requirePathSafe("instanceId", instanceId);
      requirePathSafe("vipAddress", vipAddress);
      InvalidValueException.check(!instanceIp.isEmpty(), "instanceIp", null, "the managed service's IP");
      InvalidValueException.check(instancePort != 0, "instancePort", instancePort,
          "the managed service's port, 1..65535");
    }
    requirePositive("heartbeatInterval", heartbeatInterval);
    requirePositive("leaseDuration", leaseDuration);
    requirePositive("retryMin", retryMin);
    requirePositive("retryMax", retryMax);
    requirePositive("requestTimeout", requestTimeout);
    requirePositive("discoveryRefresh", discoveryRefresh);
    Objects.requireNonNull(drain, "drain");
    InvalidValueException.check(!drain.isNegative(), "drain", drain.toMillis(), "milliseconds >= 0");
    InvalidValueException.check(leaseDuration.toMillis() % 1000 == 0, "leaseDuration", leaseDuration.toMillis(),
        "whole seconds in milliseconds");
    InvalidValueException.check(leaseDuration.compareTo(heartbeatInterval) > 0, "leaseDuration",
        leaseDuration.toMillis(), "milliseconds > heartbeat " + heartbeatInterval.toMillis());
    InvalidValueException.check(retryMax.compareTo(retryMin) >= 0, "retryMax", retryMax.toMillis(),
        "milliseconds >= retry.min " + retryMin.toMillis());
  }

  /** The declared defaults ({@link EurekaSettings}): registration off, one local service URL, 30 s / 90 s lease. */
  public static EurekaConfig defaults() {
    return new EurekaConfig(EurekaSettings.ENABLED.defaultValue(), EurekaSettings.SERVICE_URL.defaultValue(), "", "",
        "", "", 0, "", null, null, Map.of(), EurekaSettings.HEARTBEAT.defaultValue(),
        EurekaSettings.LEASE.defaultValue(), EurekaSettings.DRAIN.defaultValue(),
        EurekaSettings.RETRY_MIN.defaultValue(), EurekaSettings.RETRY_MAX.defaultValue(),
        EurekaSettings.REQUEST_TIMEOUT.defaultValue(), EurekaSettings.DISCOVERY_REFRESH.defaultValue());
  }

  /**
   * Registration on for the managed service at {@code ip:port}, with default timings; id and VIP derived from the app.
   * The health and status URLs are {@code adminBase + /healthcheck} and {@code adminBase + /api/status}.
   */
  public static EurekaConfig forInstance(List<URI> serviceUrls, String app, String ip, int port, URI adminBase) {
    EurekaConfig d = defaults();
    String admin = adminBase.toString().replaceAll("/+$", "");
    return new EurekaConfig(true, serviceUrls, app, "", "", ip, port, "", URI.create(admin + "/healthcheck"),
        URI.create(admin + "/api/status"), Map.of(), d.heartbeatInterval, d.leaseDuration, d.drain, d.retryMin,
        d.retryMax, d.requestTimeout, d.discoveryRefresh);
  }

  /**
   * A copy whose health and status URLs name {@code port}: the port actually bound when the configured one was 0.
   * Unchanged when there are no such URLs.
   */
  public EurekaConfig withStatusPort(int port) {
    return new EurekaConfig(enabled, serviceUrls, app, vipAddress, instanceHost, instanceIp, instancePort, instanceId,
        withPort(healthCheckUrl, port), withPort(statusPageUrl, port), metadata, heartbeatInterval, leaseDuration,
        drain, retryMin, retryMax, requestTimeout, discoveryRefresh);
  }

  private static URI withPort(URI url, int port) {
    if (url == null) {
      return null;
    }
    try {
      return new URI(url.getScheme(), url.getUserInfo(), url.getHost(), port, url.getPath(), url.getQuery(),
          url.getFragment());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("status URL " + url + " with port " + port, e);
    }
  }

  /** A copy with other timings (tests use short ones). */
  public EurekaConfig withTimings(Duration heartbeatInterval, Duration leaseDuration, Duration drain,
      Duration retryMin, Duration retryMax) {
    return new EurekaConfig(enabled, serviceUrls, app, vipAddress, instanceHost, instanceIp, instancePort, instanceId,
        healthCheckUrl, statusPageUrl, metadata, heartbeatInterval, leaseDuration, drain, retryMin, retryMax,
        requestTimeout, discoveryRefresh);
  }

  /** A copy with another VIP refresh interval. */
  public EurekaConfig withDiscoveryRefresh(Duration refresh) {
    return new EurekaConfig(enabled, serviceUrls, app, vipAddress, instanceHost, instanceIp, instancePort, instanceId,
        healthCheckUrl, statusPageUrl, metadata, heartbeatInterval, leaseDuration, drain, retryMin, retryMax,
        requestTimeout, refresh);
  }

  /** What Eureka is told about the managed instance. */
  public InstanceDocument instanceDocument() {
    return new InstanceDocument(instanceId, instanceHost, eurekaAppName(), instanceIp, vipAddress, instancePort,
        heartbeatInterval, leaseDuration, metadata, healthCheckUrl, statusPageUrl);
  }

  /** The Eureka app name as the server stores it (upper case). */
  public String eurekaAppName() {
    return app.toUpperCase(java.util.Locale.ROOT);
  }

  private static String blankToEmpty(String s) {
    return s == null ? "" : s.strip();
  }

  private static void requirePathSafe(String name, String value) {
    InvalidValueException.check(PATH_SAFE.matcher(value).matches(), name, value,
        "non-empty, letters, digits and ._:@-");
  }

  private static void requirePositive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    InvalidValueException.check(!value.isZero() && !value.isNegative(), name, value.toMillis(), "milliseconds > 0");
  }
}
