package io.shadowcar.tee;

import java.util.Locale;

/** Where a copy goes. Config values are the lower-case names ({@code http}, {@code kafka}). */
public enum SinkKind {
  /** The HTTP shadow cluster ({@code shadowcar.shadow.targets}). */
  HTTP,
  /** The Kafka topic ({@code shadowcar.shadow.kafka.topic}). */
  KAFKA;

  /** The config and metric tag value, e.g. {@code http}. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code http} or {@code kafka} (any case); the message names the accepted values. */
  public static SinkKind parse(String value) {
    for (SinkKind kind : values()) {
      if (kind.name().equalsIgnoreCase(value.trim())) {
        return kind;
      }
    }
    throw new IllegalArgumentException("sink: " + value + " (expected: http, kafka)");
  }
}
