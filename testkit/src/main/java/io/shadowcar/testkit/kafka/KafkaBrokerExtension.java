package io.shadowcar.testkit.kafka;

import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that runs a real single-node Kafka (KRaft) inside the test JVM for a test class.
 *
 * <pre>{@code
 * @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
 * ... KAFKA.bootstrapServers() ...
 * }</pre>
 *
 * <p>The broker starts before the first test of the class and is shut down, its data deleted, after the last. A test
 * may {@link #stopBroker()} it to simulate an outage and {@link #startBroker()} it again at the same address; if a test
 * leaves it stopped, it is started again before the next test, so tests stay independent. Register it as a
 * {@code static} field: one broker per class keeps suites fast. Not for tests that need several brokers or security.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

  private KafkaBroker broker;

  @Override
  public void beforeAll(ExtensionContext context) {
    if (broker == null) {
      broker = KafkaBroker.start();
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    broker().restart();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (broker != null) {
      broker.close();
      broker = null;
    }
  }

  /** {@code host:port} of the broker; the same for the whole class, across stops and restarts. */
  public String bootstrapServers() {
    return broker().bootstrapServers();
  }

  /** Shuts the broker down; clients then get connection refused at {@link #bootstrapServers()}. */
  public void stopBroker() {
    broker().stop();
  }

  /** Starts a stopped broker again at the same address with its data; returns once clients are served. */
  public void startBroker() {
    broker().restart();
  }

  /** Creates a topic with replication factor 1 unless it exists. */
  public void createTopic(String name, int partitions) {
    broker().createTopic(name, partitions);
  }

  /**
   * Reads the first {@code count} records of a topic from the beginning (no consumer group), waiting up to
   * {@code timeout}; fails if fewer arrive. Keys are read as UTF-8 strings, values as bytes.
   */
  public List<ConsumerRecord<String, byte[]>> readRecords(String topic, int count, Duration timeout) {
    return broker().readRecords(topic, count, timeout);
  }

  private KafkaBroker broker() {
    if (broker == null) {
      throw new IllegalStateException("KafkaBrokerExtension is not started: register it as a static @RegisterExtension");
    }
    return broker;
  }
}
