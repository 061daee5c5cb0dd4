package io.shadowcar.sink.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.shadowcar.sink.SinkMetrics;
import io.shadowcar.tee.TeeMetrics;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka sink's own meters: {@value SinkMetrics#KAFKA_SEND} (send to the broker's answer) and the producer's
 * metrics as {@code kafka.producer.*} through Micrometer's {@link KafkaClientMetrics}. The copy counters and drops are
 * the shared ones of {@link io.shadowcar.sink.SinkAdmission}.
 *
 * <p>{@link #bindProducer} and {@link #close} run on the sink's thread; the timers are recorded on the producer's
 * network thread.
 */
final class KafkaSinkMeters {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaSinkMeters.class);

  private final MeterRegistry registry;
  private final Timer acked;
  private final Timer failed;
  private KafkaClientMetrics producerMetrics;

  KafkaSinkMeters(MeterRegistry registry) {
    this.registry = registry;
    this.acked = sendTimer(TeeMetrics.RESULT_SENT);
    this.failed = sendTimer(TeeMetrics.RESULT_FAILED);
  }

  /**
   * Publishes the producer's metrics, refreshed on {@code refresher} (which the meters do not own: closing them leaves
   * it running). A failure here costs the metrics, never the sink.
   */
  void bindProducer(Producer<?, ?> producer, ScheduledExecutorService refresher) {
    try {
      KafkaClientMetrics metrics = new KafkaClientMetrics(producer, List.of(), refresher);
      metrics.bindTo(registry);
      producerMetrics = metrics;
    } catch (RuntimeException e) {
      LOG.warn("kafka sink: the producer's metrics are not published: {}", e.toString());
    }
  }

  /** The broker acknowledged a record handed to the producer at {@code sendStartNanos}. */
  void acked(long sendStartNanos) {
    acked.record(System.nanoTime() - sendStartNanos, TimeUnit.NANOSECONDS);
  }

  /** The producer gave up on a record it had accepted at {@code sendStartNanos}. */
  void failed(long sendStartNanos) {
    failed.record(System.nanoTime() - sendStartNanos, TimeUnit.NANOSECONDS);
  }

  /** Removes the producer's meters (call once the producer is closed); the timers stay, like the copy counters. */
  void close() {
    if (producerMetrics != null) {
      producerMetrics.close();
      producerMetrics = null;
    }
  }

  private Timer sendTimer(String result) {
    return Timer.builder(SinkMetrics.KAFKA_SEND)
        .description("time from handing a record to the Kafka producer to the broker's answer")
        .tag(TeeMetrics.TAG_RESULT, result)
        .publishPercentileHistogram()
        .register(registry);
  }
}
