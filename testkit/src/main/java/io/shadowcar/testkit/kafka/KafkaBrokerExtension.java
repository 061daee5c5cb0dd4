package io.shadowcar.testkit.kafka;

import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that runs a real single-node Kafka (KRaft) inside the test JVM.
 *
 * <pre>{@code
 * @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
 * ... KAFKA.bootstrapServers() ...
 * }</pre>
 *
 * <p>One broker serves every test class of the run in this JVM: it starts before the first class that uses it and is
 * shut down, its data deleted, when the run ends, so a suite pays the broker's start once. Classes therefore share
 * its topics: give each test its own topic name. A test may {@link #stopBroker()} it to simulate an outage and
 * {@link #startBroker()} it again at the same address; if a test leaves it stopped, it is started again before the
 * next test, so tests stay independent. Register it as a {@code static} field. Not for tests that need several
 * brokers, security, or a broker of their own.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, BeforeEachCallback {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaBrokerExtension.class);

  private KafkaBroker broker;

  @Override
  public void beforeAll(ExtensionContext context) {
    // The root store closes the broker (AutoCloseable) once the whole run is over.
    broker = context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent(KafkaBroker.class, key -> KafkaBroker.start(), KafkaBroker.class);
    broker.restart();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    broker().restart();
  }

  /** {@code host:port} of the broker; the same for the whole run, across stops and restarts. */
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
