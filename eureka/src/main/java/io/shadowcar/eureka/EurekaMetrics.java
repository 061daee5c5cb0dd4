package io.shadowcar.eureka;

/**
 * Meter names of the Eureka registrar and VIP discovery (Prometheus adds {@code _total} to counters). Tag values are
 * bounded: {@code result} comes from {@link io.shadowcar.eureka.rest.CallResult}, {@code app} and {@code vip} from
 * configuration.
 */
public final class EurekaMetrics {

  /** Counter {@code shadowcar_eureka_heartbeats_total{app,result}}: lease renewals by outcome. */
  public static final String HEARTBEATS = "shadowcar.eureka.heartbeats";
  /** Counter {@code shadowcar_eureka_registrations_total{app,result}}: register calls (status changes included). */
  public static final String REGISTRATIONS = "shadowcar.eureka.registrations";
  /** Gauge {@code shadowcar_eureka_registered{app}}: 1 while Eureka holds a live lease of ours, else 0. */
  public static final String REGISTERED = "shadowcar.eureka.registered";
  /** Counter {@code shadowcar_eureka_discovery_refreshes_total{vip,result}}: VIP fetches by outcome. */
  public static final String DISCOVERY_REFRESHES = "shadowcar.eureka.discovery.refreshes";
  /** Gauge {@code shadowcar_eureka_discovery_instances{vip}}: UP instances currently handed out. */
  public static final String DISCOVERY_INSTANCES = "shadowcar.eureka.discovery.instances";

  public static final String TAG_RESULT = "result";
  public static final String TAG_APP = "app";
  public static final String TAG_VIP = "vip";

  private EurekaMetrics() {}
}
