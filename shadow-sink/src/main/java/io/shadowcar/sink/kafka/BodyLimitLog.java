package io.shadowcar.sink.kafka;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the Kafka sink says at start about body sizes: which request bodies fit a record, and when the tee copies more. */
final class BodyLimitLog {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaShadowSink.class);

  private BodyLimitLog() {}

  /** One line at start-up saying how large a request body fits a record, and a warning when the tee copies larger. */
  static void atStart(KafkaShadowSinkConfig config, int teeMaxBodyBytes, int primaryBodyBytes) {
    int fits = ExchangeRecordFormat.maxBodyBytes(config.maxRecordBytes(), primaryBodyBytes);
    if (fits < 0) {
      LOG.warn("kafka sink: topic {} on {}; maxRequestBytes {} is too small for a typical record ({} bytes of "
          + "headers and fields, a {} byte primary body): copies that do not fit are dropped as body_too_large",
          config.topic(), config.bootstrap(), config.maxRecordBytes(),
          ExchangeRecordFormat.ASSUMED_JSON_BYTES + ExchangeRecordFormat.ASSUMED_KEY_BYTES, primaryBodyBytes);
      return;
    }
    LOG.info("kafka sink: topic {} on {}; request bodies up to {} bytes fit a record (maxRequestBytes {}, Base64)",
        config.topic(), config.bootstrap(), fits, config.maxRecordBytes());
    if (teeMaxBodyBytes > fits) {
      LOG.warn("kafka sink: shadowcar.shadow.maxBodyBytes {} is larger than the {} bytes of request body a record "
          + "holds; copies with bodies in between are dropped as body_too_large (raise "
          + "shadowcar.shadow.kafka.maxRequestBytes and the topic's max.message.bytes, or lower maxBodyBytes)",
          teeMaxBodyBytes, fits);
    }
  }
}
