package io.shadowcar.launcher.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The shadow side as bound from {@code shadowcar.shadow.*} and {@code shadowcar.routes.*}: validated values the
 * launcher turns into the tee-router's and shadow-sinks' own records.
 *
 * @param enabled kill switch for all copies
 * @param targets where HTTP copies go (empty: no HTTP sink)
 * @param samplePercent share of eligible requests copied, 0-100
 * @param sampleKey {@code header:NAME}, {@code cookie:NAME} or {@code query:NAME}, or empty for random
 * @param methods methods copied by default
 * @param maxInflight copies in flight at most
 * @param maxRatePerSecond copies per second at most, 0 = no cap
 * @param maxBodyBytes larger request bodies are not copied
 * @param timeout shadow response timeout
 * @param header header set to {@code true} on each copy
 * @param hostSuffix appended to the copy's Host
 * @param kafkaBootstrap Kafka bootstrap servers, empty = no Kafka sink
 * @param kafkaTopic Kafka topic
 * @param routes per-route overrides, in name order
 */
public record ShadowSettings(
    boolean enabled,
    TargetsSpec targets,
    double samplePercent,
    Optional<String> sampleKey,
    List<String> methods,
    int maxInflight,
    int maxRatePerSecond,
    int maxBodyBytes,
    Duration timeout,
    String header,
    String hostSuffix,
    Optional<String> kafkaBootstrap,
    Optional<String> kafkaTopic,
    List<RouteSettings> routes) {

  public ShadowSettings {
    methods = List.copyOf(methods);
    routes = List.copyOf(routes);
  }

  /**
   * One {@code shadowcar.routes.NAME.*} override.
   *
   * @param name the NAME part of the keys
   * @param path a path glob ({@code /api/**})
   * @param methods methods this route copies, empty = the global list
   * @param samplePercent the route's share, empty = the global one
   * @param sinks {@code http} and/or {@code kafka}, empty = every configured sink
   */
  public record RouteSettings(
      String name, String path, List<String> methods, Optional<Double> samplePercent, List<String> sinks) {

    public RouteSettings {
      methods = List.copyOf(methods);
      sinks = List.copyOf(sinks);
    }
  }
}
