package io.shadowcar.sink.kafka;

import io.shadowcar.common.config.Setting;
import java.time.Duration;
import java.util.List;

/** The Kafka sink's keys, {@code shadowcar.shadow.kafka.*}. Each default is written here and nowhere else. */
public final class KafkaSinkSettings {

  public static final String PREFIX = "shadowcar.shadow.kafka.";

  static final List<String> ACKS_ACCEPTED = List.of("0", "1", "all", "-1");
  static final List<String> COMPRESSIONS_ACCEPTED = List.of("none", "gzip", "snappy", "lz4", "zstd");

  /** Defines the sink: empty bootstrap, no Kafka sink. */
  public static final Setting<String> BOOTSTRAP = Setting.string(PREFIX + "bootstrap", "",
      "comma list of host:port of the Kafka brokers; empty = no Kafka sink");
  public static final Setting<String> TOPIC = Setting.string(PREFIX + "topic", "",
      "topic exchanges are published to; required with a bootstrap");
  public static final Setting<String> ACKS = oneOf(PREFIX + "acks", "1", ACKS_ACCEPTED,
      "0, 1 or all", "broker acknowledgement the producer waits for");
  public static final Setting<Duration> LINGER = Setting.of(PREFIX + "linger.ms", "5", "milliseconds 0-60000",
      raw -> {
        long ms = Long.parseLong(raw);
        return ms >= 0 && ms <= 60_000 ? Duration.ofMillis(ms) : null;
      }, "batching delay of the producer");
  public static final Setting<String> COMPRESSION = oneOf(PREFIX + "compression", "lz4",
      COMPRESSIONS_ACCEPTED, "none, gzip, snappy, lz4 or zstd", "record batch compression");
  public static final Setting<Long> BUFFER_MEMORY_BYTES = Setting.longIn(PREFIX + "bufferMemoryBytes", "33554432", 1,
      1L << 30, "bytes 1-1073741824 (1 GiB)", "the producer's buffer; when full, copies are dropped (sink_down)");
  public static final Setting<Integer> MAX_REQUEST_BYTES = Setting.intIn(PREFIX + "maxRequestBytes", "1048576", 1,
      128 << 20, "bytes 1-134217728 (128 MiB)", "largest record; larger copies are dropped (body_too_large)");
  public static final Setting<Integer> MAX_INFLIGHT = Setting.intIn(PREFIX + "maxInflight", "1024", 1, 100_000,
      "integer 1-100000", "copies between send and the broker's answer; over it dropped (inflight_full)");
  public static final Setting<Duration> PRIMARY_WAIT = Setting.millis(PREFIX + "primaryWait.ms", 5000, 0,
      "how long a copy waits for the primary's response; 0 = publish the request alone");
  public static final Setting<Duration> CLOSE_TIMEOUT = Setting.millis(PREFIX + "close.timeout.ms", 5000, 0,
      "bound on flushing the producer at shutdown");
  public static final Setting<Void> PRODUCER = Setting.passThrough(PREFIX + "producer",
      "Kafka producer settings passed through (except those the sink owns)");

  private KafkaSinkSettings() {}

  public static List<Setting<?>> all() {
    return List.of(BOOTSTRAP, TOPIC, ACKS, LINGER, COMPRESSION, BUFFER_MEMORY_BYTES, MAX_REQUEST_BYTES, MAX_INFLIGHT,
        PRIMARY_WAIT, CLOSE_TIMEOUT, PRODUCER);
  }

  private static Setting<String> oneOf(String key, String defaultText, List<String> accepted, String expected,
      String description) {
    return Setting.of(key, defaultText, expected, raw -> accepted.contains(raw) ? raw : null, description);
  }
}
