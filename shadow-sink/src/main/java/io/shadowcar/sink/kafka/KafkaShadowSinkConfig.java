package io.shadowcar.sink.kafka;

import static io.shadowcar.common.config.InvalidValueException.check;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Settings of the Kafka shadow sink, bound by {@link KafkaSinkProvider} from {@code shadowcar.shadow.kafka.*} (keys and
 * defaults in {@link KafkaSinkSettings}).
 *
 * <p>An empty {@code bootstrap} means the sink is off ({@link #enabled()} is false): no {@link KafkaShadowSink} is
 * created. Do not put settings here that would let the producer block its caller: {@code max.block.ms}
 * and the serializers are owned by the sink and rejected as overrides.
 *
 * @param bootstrap comma list of {@code host:port}; empty = off
 * @param topic where exchanges are published; required when bootstrap is set
 * @param acks {@code 0}, {@code 1} or {@code all}
 * @param linger batching delay
 * @param compression none, gzip, snappy, lz4 or zstd
 * @param bufferMemoryBytes the producer's buffer; when full, copies are dropped
 * @param maxRequestBytes largest record; larger copies are dropped as {@code body_too_large} (the topic's
 *     {@code max.message.bytes} must allow it)
 * @param maxInflight copies between {@code send} and the broker's answer at once, waiting ones included; over it
 *     copies are dropped as {@code inflight_full}
 * @param primaryWait how long a copy waits for the primary's response to be published with it; {@code 0} publishes
 *     the request alone at once (and the tee then captures no primary response for this sink)
 * @param closeTimeout bound on flushing at shutdown
 * @param producerOverrides {@code shadowcar.shadow.kafka.producer.*} with the prefix removed, passed to the producer
 *     last (so they win over the settings above), except the keys in {@link #OWNED_PRODUCER_KEYS}
 */
public record KafkaShadowSinkConfig(
    String bootstrap,
    String topic,
    String acks,
    Duration linger,
    String compression,
    long bufferMemoryBytes,
    int maxRequestBytes,
    int maxInflight,
    Duration primaryWait,
    Duration closeTimeout,
    Map<String, String> producerOverrides) {

  /** Producer settings the sink owns; overriding them would let a send block or break the record format. */
  public static final Set<String> OWNED_PRODUCER_KEYS = Set.of(
      ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
      ProducerConfig.MAX_BLOCK_MS_CONFIG,
      ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
      ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);

  public KafkaShadowSinkConfig {
    bootstrap = bootstrap == null ? "" : bootstrap.trim();
    topic = topic == null ? "" : topic.trim();
    Objects.requireNonNull(acks, "acks");
    Objects.requireNonNull(linger, "linger");
    Objects.requireNonNull(compression, "compression");
    Objects.requireNonNull(primaryWait, "primaryWait");
    Objects.requireNonNull(closeTimeout, "closeTimeout");
    producerOverrides = Map.copyOf(producerOverrides == null ? Map.of() : producerOverrides);
    check(bootstrap.isEmpty() || !topic.isEmpty(), "topic", topic, "a topic name when bootstrap is set");
    check(KafkaSinkSettings.ACKS_ACCEPTED.contains(acks), "acks", acks, "0, 1 or all");
    check(!linger.isNegative(), "linger", linger.toMillis(), ">= 0");
    check(KafkaSinkSettings.COMPRESSIONS_ACCEPTED.contains(compression), "compression", compression,
        "one of " + KafkaSinkSettings.COMPRESSIONS_ACCEPTED);
    check(bufferMemoryBytes > 0, "bufferMemoryBytes", bufferMemoryBytes, "> 0");
    check(maxRequestBytes > 0, "maxRequestBytes", maxRequestBytes, "> 0");
    check(maxInflight > 0, "maxInflight", maxInflight, "> 0");
    check(!primaryWait.isNegative(), "primaryWait", primaryWait.toMillis(), ">= 0");
    check(!closeTimeout.isNegative(), "closeTimeout", closeTimeout.toMillis(), ">= 0");
    for (String key : producerOverrides.keySet()) {
      check(!OWNED_PRODUCER_KEYS.contains(key), "producer." + key, producerOverrides.get(key),
          "not overridden: set by the sink");
    }
    // The sink states the record limit these two make, so an override must be a number it can read.
    for (String key : List.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, ProducerConfig.BUFFER_MEMORY_CONFIG)) {
      String value = producerOverrides.get(key);
      check(value == null || positiveLong(value) > 0, "producer." + key, value, "integer > 0");
    }
  }

  /** The sink off (empty bootstrap), every other setting at its default. */
  public static KafkaShadowSinkConfig defaults() {
    return of("", "");
  }

  /** The declared defaults with a bootstrap and a topic. */
  public static KafkaShadowSinkConfig of(String bootstrap, String topic) {
    return new KafkaShadowSinkConfig(bootstrap, topic,
        KafkaSinkSettings.ACKS.defaultValue(),
        KafkaSinkSettings.LINGER.defaultValue(),
        KafkaSinkSettings.COMPRESSION.defaultValue(),
        KafkaSinkSettings.BUFFER_MEMORY_BYTES.defaultValue(),
        KafkaSinkSettings.MAX_REQUEST_BYTES.defaultValue(),
        KafkaSinkSettings.MAX_INFLIGHT.defaultValue(),
        KafkaSinkSettings.PRIMARY_WAIT.defaultValue(),
        KafkaSinkSettings.CLOSE_TIMEOUT.defaultValue(),
        Map.of());
  }

  /**
   * The largest record the producer accepts: {@code maxRequestBytes}, or a {@code producer.max.request.size}
   * override, and never more than the producer's whole buffer (a larger record is refused as too large as well).
   */
  public int maxRecordBytes() {
    String requestOverride = producerOverrides.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
    String bufferOverride = producerOverrides.get(ProducerConfig.BUFFER_MEMORY_CONFIG);
    long request = requestOverride == null ? maxRequestBytes : positiveLong(requestOverride);
    long buffer = bufferOverride == null ? bufferMemoryBytes : positiveLong(bufferOverride);
    return (int) Math.min(Integer.MAX_VALUE, Math.min(request, buffer));
  }

  /** Whether a bootstrap is set; when not, the launcher creates no Kafka sink. */
  public boolean enabled() {
    return !bootstrap.isEmpty();
  }

  /** The same settings with other producer overrides. */
  public KafkaShadowSinkConfig withProducerOverrides(Map<String, String> overrides) {
    return new KafkaShadowSinkConfig(bootstrap, topic, acks, linger, compression, bufferMemoryBytes, maxRequestBytes,
        maxInflight, primaryWait, closeTimeout, overrides);
  }

  /** The same settings with another producer buffer size. */
  public KafkaShadowSinkConfig withBufferMemoryBytes(long bytes) {
    return new KafkaShadowSinkConfig(bootstrap, topic, acks, linger, compression, bytes, maxRequestBytes,
        maxInflight, primaryWait, closeTimeout, producerOverrides);
  }

  /** The same settings with another wait for the primary's response. */
  public KafkaShadowSinkConfig withPrimaryWait(Duration wait) {
    return new KafkaShadowSinkConfig(bootstrap, topic, acks, linger, compression, bufferMemoryBytes, maxRequestBytes,
        maxInflight, wait, closeTimeout, producerOverrides);
  }

  /** The same settings with another in-flight cap. */
  public KafkaShadowSinkConfig withMaxInflight(int max) {
    return new KafkaShadowSinkConfig(bootstrap, topic, acks, linger, compression, bufferMemoryBytes, maxRequestBytes,
        max, primaryWait, closeTimeout, producerOverrides);
  }

  private static long positiveLong(String text) {
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The producer's configuration: the settings above, then the overrides, then the keys the sink owns. */
  Map<String, Object> producerProperties(String clientId) {
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    p.put(ProducerConfig.ACKS_CONFIG, acks);
    p.put(ProducerConfig.LINGER_MS_CONFIG, (int) linger.toMillis());
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, bufferMemoryBytes);
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRequestBytes);
    // Copies are disposable: no idempotence bookkeeping, no retries beyond the delivery timeout, and a delivery
    // timeout well under the default two minutes so an outage frees the buffer sooner.
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000 + (int) linger.toMillis()); // must be >= linger + request
    // One topic, always in use: keep its metadata so an idle spell does not cost the next copy.
    p.put(ProducerConfig.METADATA_MAX_IDLE_CONFIG, 24 * 60 * 60 * 1000);
    p.putAll(producerOverrides);
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 0);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return p;
  }
}
