package io.shadowcar.sink.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
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
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> KafkaShadowSinkConfig.of("127.0.0.1:9092", " "));
    assertEquals("topic: '' (expected: a topic name when bootstrap is set)", e.getMessage());
  }

  @Test
  void rejectsNonPositiveBufferWithKeyAndExpectation() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> KafkaShadowSinkConfig.of("127.0.0.1:9092", "t").withBufferMemoryBytes(-1));
    assertEquals("bufferMemoryBytes: -1 (expected: > 0)", e.getMessage());
  }

  @Test
  void rejectsOverridesThatCouldBlockTheCaller() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> KafkaShadowSinkConfig.of("127.0.0.1:9092", "t").withProducerOverrides(Map.of("max.block.ms", "60000")));
    assertEquals("producer.max.block.ms: set by the sink (expected: not overridden)", e.getMessage());
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
}
