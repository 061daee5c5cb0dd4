package io.shadowcar.testkit.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KafkaBrokerExtensionIT {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @Test
  void recordProducedIsConsumedWithSameKeyValueAndHeaders() throws Exception {
    KAFKA.createTopic("roundtrip", 1);
    try (KafkaProducer<String, byte[]> producer = producer(Map.of())) {
      ProducerRecord<String, byte[]> record = new ProducerRecord<>("roundtrip", "key-1", new byte[] {0, 1, (byte) 255});
      record.headers().add("h", "v".getBytes(StandardCharsets.UTF_8));
      producer.send(record).get(30, TimeUnit.SECONDS);
    }
    List<ConsumerRecord<String, byte[]>> got = consume("roundtrip", 1);
    assertEquals("key-1", got.get(0).key());
    assertEquals(List.of((byte) 0, (byte) 1, (byte) 255), bytes(got.get(0).value()));
    assertEquals("v", new String(got.get(0).headers().lastHeader("h").value(), StandardCharsets.UTF_8));
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
    List<String> keys = consume("outage", 2).stream().map(ConsumerRecord::key).toList();
    assertEquals(List.of("before", "after"), keys);
  }

  private static KafkaProducer<String, byte[]> producer(Map<String, Object> overrides) {
    Map<String, Object> config = new java.util.HashMap<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    config.putAll(overrides);
    return new KafkaProducer<>(config);
  }

  private static List<ConsumerRecord<String, byte[]>> consume(String topic, int count) {
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, "test-" + topic,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (records.size() < count && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    assertEquals(count, records.size(), "records consumed from " + topic);
    return records;
  }

  private static List<Byte> bytes(byte[] value) {
    List<Byte> list = new ArrayList<>();
    for (byte b : value) {
      list.add(b);
    }
    return list;
  }
}
