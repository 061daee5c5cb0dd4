package io.shadowcar.eureka;

import io.shadowcar.common.config.Setting;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Every {@code shadowcar.eureka.*} key, declared once; {@link EurekaBinder} reads them. The instance keys describe the
 * managed service, never the sidecar.
 */
public final class EurekaSettings {

  private static final String PREFIX = "shadowcar.eureka.";

  public static final Setting<Boolean> ENABLED = Setting.bool(PREFIX + "enabled", false,
      "register the managed service with Eureka");
  public static final Setting<List<URI>> SERVICE_URL = Setting.of(PREFIX + "serviceUrl",
      "http://127.0.0.1:8761/eureka", "comma list of Eureka base URLs, e.g. http://eureka:8761/eureka",
      EurekaSettings::parseUrls, "Eureka servers, tried in order on failure; also used for eureka:VIP targets");
  public static final Setting<String> APP = Setting.string(PREFIX + "app", "",
      "application name (required when enabled)");
  public static final Setting<String> VIP_ADDRESS = Setting.string(PREFIX + "vipAddress", "",
      "VIP other services look up; empty = app in lower case");
  public static final Setting<String> INSTANCE_IP = Setting.string(PREFIX + "instanceIp", "",
      "IP of the managed service (required when enabled)");
  public static final Setting<String> INSTANCE_HOST = Setting.string(PREFIX + "instanceHost", "",
      "host name of the managed service; empty = instanceIp");
  public static final Setting<Integer> INSTANCE_PORT = Setting.intIn(PREFIX + "instancePort", null, 0, 65535,
      "port 1-65535", "port of the managed service (required when enabled)");
  public static final Setting<String> INSTANCE_ID = Setting.string(PREFIX + "instanceId", "",
      "unique id in the app; empty = host:app:port");
  public static final Setting<Duration> HEARTBEAT = Setting.millis(PREFIX + "heartbeat.ms", 30_000, 1,
      "time between lease renewals");
  public static final Setting<Duration> LEASE = Setting.millis(PREFIX + "lease.ms", 90_000, 1,
      "how long Eureka keeps the instance without renewal (whole seconds, > heartbeat)");
  public static final Setting<Duration> DRAIN = Setting.millis(PREFIX + "drain.ms", 10_000, 0,
      "how long the instance stays DOWN before it deregisters on shutdown (0 = deregister at once)");
  public static final Setting<Duration> RETRY_MIN = Setting.millis(PREFIX + "retry.min.ms", 1000, 1,
      "first back-off after a failed call");
  public static final Setting<Duration> RETRY_MAX = Setting.millis(PREFIX + "retry.max.ms", 60_000, 1,
      "back-off cap, doubling from retry.min.ms; never above heartbeat.ms, so a returning server sees the "
          + "instance again within one heartbeat");
  public static final Setting<Duration> REQUEST_TIMEOUT = Setting.millis(PREFIX + "request.timeout.ms", 5000, 1,
      "time limit of one call to Eureka");
  public static final Setting<Duration> DISCOVERY_REFRESH = Setting.millis(PREFIX + "discovery.refresh.ms", 5000, 1,
      "time between VIP fetches for eureka:VIP targets");
  public static final Setting<Void> METADATA = Setting.passThrough(PREFIX + "metadata",
      "instance metadata shown to Eureka clients (shadowcar.eureka.metadata.KEY)");

  private EurekaSettings() {}

  public static List<Setting<?>> all() {
    return List.of(ENABLED, SERVICE_URL, APP, VIP_ADDRESS, INSTANCE_IP, INSTANCE_HOST, INSTANCE_PORT, INSTANCE_ID,
        HEARTBEAT, LEASE, DRAIN, RETRY_MIN, RETRY_MAX, REQUEST_TIMEOUT, DISCOVERY_REFRESH, METADATA);
  }

  /** Absolute URLs with a host; null when one is not. */
  private static List<URI> parseUrls(String raw) throws Exception {
    List<URI> urls = new java.util.ArrayList<>();
    for (String item : Setting.splitList(raw)) {
      URI url = new URI(item);
      if (url.getScheme() == null || url.getHost() == null) {
        return null;
      }
      urls.add(url);
    }
    return urls.isEmpty() ? null : List.copyOf(urls);
  }
}
