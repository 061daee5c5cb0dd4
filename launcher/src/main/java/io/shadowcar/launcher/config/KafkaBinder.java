package io.shadowcar.launcher.config;

import static io.shadowcar.launcher.config.ConfigKeys.SHADOW_KAFKA_BOOTSTRAP;
import static io.shadowcar.launcher.config.ConfigKeys.SHADOW_KAFKA_TOPIC;

import io.shadowcar.sink.kafka.KafkaShadowSinkConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Binds {@code shadowcar.shadow.kafka.*} to the Kafka sink's {@link KafkaShadowSinkConfig}; empty when it is off. */
final class KafkaBinder {

  static final String PREFIX = "shadowcar.shadow.kafka.";
  private static final String PRODUCER = PREFIX + "producer.";
  private static final Map<String, String> FIELDS = Map.of(
      "topic", SHADOW_KAFKA_TOPIC,
      "acks", PREFIX + "acks",
      "linger.ms", PREFIX + "linger.ms",
      "compression", PREFIX + "compression",
      "bufferMemoryBytes", PREFIX + "bufferMemoryBytes",
      "maxRequestBytes", PREFIX + "maxRequestBytes",
      "maxInflight", PREFIX + "maxInflight",
      "primaryWait.ms", PREFIX + "primaryWait.ms",
      "close.timeout.ms", PREFIX + "close.timeout.ms");

  private KafkaBinder() {}

  static Optional<KafkaShadowSinkConfig> kafka(ConfigReader in) {
    Optional<String> bootstrap = in.optional(SHADOW_KAFKA_BOOTSTRAP);
    if (bootstrap.isEmpty()) {
      return Optional.empty();
    }
    KafkaShadowSinkConfig d = KafkaShadowSinkConfig.defaults();
    String topic = in.string(SHADOW_KAFKA_TOPIC, "");
    String acks = in.string(PREFIX + "acks", d.acks());
    Duration linger = Duration.ofMillis(in.longIn(PREFIX + "linger.ms", d.linger().toMillis(), 0, 60_000,
        "milliseconds 0-60000"));
    String compression = in.string(PREFIX + "compression", d.compression());
    long buffer = in.longIn(PREFIX + "bufferMemoryBytes", d.bufferMemoryBytes(), 1, Long.MAX_VALUE, "integer > 0");
    int maxRequest = in.positiveInt(PREFIX + "maxRequestBytes", d.maxRequestBytes());
    int inflight = in.positiveInt(PREFIX + "maxInflight", d.maxInflight());
    Duration primaryWait = Duration.ofMillis(in.longIn(PREFIX + "primaryWait.ms", d.primaryWait().toMillis(), 0,
        Long.MAX_VALUE / 2, "milliseconds >= 0"));
    Duration close = Duration.ofMillis(in.longIn(PREFIX + "close.timeout.ms", d.closeTimeout().toMillis(), 0,
        Long.MAX_VALUE / 2, "milliseconds >= 0"));
    Map<String, String> overrides = new HashMap<>();
    in.snapshot().values().tailMap(PRODUCER).forEach((key, value) -> {
      if (key.startsWith(PRODUCER)) {
        overrides.put(key.substring(PRODUCER.length()), value);
      }
    });
    return Optional.ofNullable(in.record(() -> new KafkaShadowSinkConfig(bootstrap.get(), topic, acks, linger,
        compression, buffer, maxRequest, inflight, primaryWait, close, overrides), FIELDS, SHADOW_KAFKA_BOOTSTRAP));
  }
}
