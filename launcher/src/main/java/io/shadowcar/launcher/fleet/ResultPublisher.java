package io.shadowcar.launcher.fleet;

import io.shadowcar.dashboard.DiffResultRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes diff results to the results topic: keyed by endpoint (one endpoint's results in one partition, in order),
 * with {@code acks=all} and idempotence, so a result the broker acknowledged is kept and a retry never writes it twice.
 * A send may block while the producer's buffer is full (never on an event loop: it runs on the comparing threads).
 */
final class ResultPublisher implements AutoCloseable {

  private static final List<Header> FORMAT = List.of(new RecordHeader(DiffResultRecord.FORMAT_HEADER,
      DiffResultRecord.FORMAT_V1.getBytes(StandardCharsets.US_ASCII)));

  private final KafkaProducer<String, byte[]> producer;
  private final String topic;

  ResultPublisher(String bootstrap, String topic, String clientId) {
    this.topic = topic;
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    this.producer = new KafkaProducer<>(config);
  }

  /** Sends one result; {@code done} gets null once the broker has it, or the failure (after the producer's retries). */
  void publish(String endpoint, byte[] value, Consumer<Exception> done) {
    try {
      producer.send(new ProducerRecord<>(topic, null, endpoint, value, FORMAT), (metadata, failure) -> done.accept(failure));
    } catch (RuntimeException e) {
      done.accept(e);
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }

  /** Sends what is buffered within {@code timeout} (zero: drops it), then closes. */
  void close(Duration timeout) {
    producer.close(timeout);
  }
}
