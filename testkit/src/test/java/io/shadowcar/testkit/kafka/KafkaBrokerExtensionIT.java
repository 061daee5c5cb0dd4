package io.shadowcar.testkit.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KafkaBrokerExtensionIT {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void recordProducedIsReadBackWithSameKeyValueAndHeaders() throws Exception {
    SharedKafkaBrokerIT.assertOneBrokerPerRun(KAFKA.bootstrapServers());
    KAFKA.createTopic("roundtrip", 1);
    try (KafkaProducer<String, byte[]> producer = producer(Map.of())) {
      ProducerRecord<String, byte[]> record = new ProducerRecord<>("roundtrip", "key-1", new byte[] {0, 1, (byte) 255});
      record.headers().add("h", "v".getBytes(StandardCharsets.UTF_8));
      producer.send(record).get(30, TimeUnit.SECONDS);
    }

    ConsumerRecord<String, byte[]> got = KAFKA.readRecords("roundtrip", 1, WAIT).get(0);

    assertEquals("key-1", got.key());
    assertArrayEquals(new byte[] {0, 1, (byte) 255}, got.value());
    assertEquals("v", new String(got.headers().lastHeader("h").value(), StandardCharsets.UTF_8));
  }

  @Test
  void stoppedBrokerRefusesSendsAndServesAgainAfterRestartWithItsData() throws Exception {
    KAFKA.createTopic("outage", 1);
    try (KafkaProducer<String, byte[]> producer = producer(Map.of())) {
      producer.send(new ProducerRecord<>("outage", "before", new byte[] {1})).get(30, TimeUnit.SECONDS);
    }

    KAFKA.stopBroker();
    try (KafkaProducer<String, byte[]> producer = producer(Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 500,
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 1000, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 500))) {
      assertThrows(ExecutionException.class,
          () -> producer.send(new ProducerRecord<>("outage", "during", new byte[] {2})).get(30, TimeUnit.SECONDS));
    }

    KAFKA.startBroker();
    try (KafkaProducer<String, byte[]> producer = producer(Map.of())) {
      producer.send(new ProducerRecord<>("outage", "after", new byte[] {3})).get(30, TimeUnit.SECONDS);
    }
    List<String> keys = KAFKA.readRecords("outage", 2, WAIT).stream().map(ConsumerRecord::key).toList();
    assertEquals(List.of("before", "after"), keys);
  }

  private static KafkaProducer<String, byte[]> producer(Map<String, Object> overrides) {
    Map<String, Object> config = new HashMap<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    config.putAll(overrides);
    return new KafkaProducer<>(config);
  }
}
