package io.shadowcar.sink.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import io.shadowcar.common.config.InvalidValueException;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

class KafkaShadowSinkConfigTest {

  @Test
  void defaultsAreOffWithBoundedBufferAndAcksOne() {
    KafkaShadowSinkConfig config = KafkaShadowSinkConfig.defaults();

    assertFalse(config.enabled());
    assertEquals("1", config.acks());
    assertEquals(32L * 1024 * 1024, config.bufferMemoryBytes());
    assertEquals(1024 * 1024, config.maxRequestBytes());
    assertEquals(Duration.ofSeconds(5), config.primaryWait());
  }

  @Test
  void requiresTopicWhenBootstrapIsSet() {
    InvalidValueException e =
        assertThrows(InvalidValueException.class, () -> KafkaShadowSinkConfig.of("127.0.0.1:9092", " "));
    assertEquals(List.of("topic", "", "a topic name when bootstrap is set"), List.of(e.field(), e.value(), e.expected()));
  }

  @Test
  void rejectsNonPositiveBufferWithKeyAndExpectation() {
    InvalidValueException e = assertThrows(InvalidValueException.class,
        () -> KafkaShadowSinkConfig.of("127.0.0.1:9092", "t").withBufferMemoryBytes(-1));
    assertEquals(List.of("bufferMemoryBytes", "-1", "> 0"), List.of(e.field(), e.value(), e.expected()));
  }

  @Test
  void rejectsOverridesThatCouldBlockTheCaller() {
    InvalidValueException e = assertThrows(InvalidValueException.class,
        () -> KafkaShadowSinkConfig.of("127.0.0.1:9092", "t").withProducerOverrides(Map.of("max.block.ms", "60000")));
    assertEquals(List.of("producer.max.block.ms", "60000", "not overridden: set by the sink"),
        List.of(e.field(), e.value(), e.expected()));
  }

  @Test
  void producerNeverBlocksAndOverridesWinOverSettings() {
    Map<String, Object> props = KafkaShadowSinkConfig.of("127.0.0.1:9092", "t")
        .withProducerOverrides(Map.of("acks", "all", "client.rack", "r1"))
        .producerProperties("id");

    assertEquals(0, props.get(ProducerConfig.MAX_BLOCK_MS_CONFIG));
    assertEquals("127.0.0.1:9092", props.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
    assertEquals("all", props.get(ProducerConfig.ACKS_CONFIG));
    assertEquals("r1", props.get("client.rack"));
    assertEquals(32L * 1024 * 1024, props.get(ProducerConfig.BUFFER_MEMORY_CONFIG));
    assertTrue(KafkaShadowSinkConfig.OWNED_PRODUCER_KEYS.contains(ProducerConfig.MAX_BLOCK_MS_CONFIG));
  }

  @Test
  void theRecordLimitIsMaxRequestBytesOrItsOverrideAndNeverMoreThanTheBuffer() {
    KafkaShadowSinkConfig config = KafkaShadowSinkConfig.of("127.0.0.1:9092", "t");

    assertEquals(1 << 20, config.maxRecordBytes());
    assertEquals(2048, config.withProducerOverrides(Map.of("max.request.size", "2048")).maxRecordBytes());
    assertEquals(4096, config.withBufferMemoryBytes(4096).maxRecordBytes());
    assertEquals(1000, config.withProducerOverrides(Map.of("buffer.memory", "1000")).maxRecordBytes());
  }

  @Test
  void rejectsARecordLimitOverrideThatIsNotAPositiveNumber() {
    InvalidValueException e = assertThrows(InvalidValueException.class, () -> KafkaShadowSinkConfig
        .of("127.0.0.1:9092", "t").withProducerOverrides(Map.of("max.request.size", "1MB")));
    assertEquals(List.of("producer.max.request.size", "1MB", "integer > 0"),
        List.of(e.field(), e.value(), e.expected()));
  }
}
