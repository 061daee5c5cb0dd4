package io.shadowcar.testkit.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A second class in the same run: whichever class runs first, both get one broker at one address. */
class SharedKafkaBrokerIT {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final AtomicReference<String> FIRST_SEEN = new AtomicReference<>();

  /** Called by each class using the extension in this run; fails if two classes see different brokers. */
  static void assertOneBrokerPerRun(String bootstrapServers) {
    FIRST_SEEN.compareAndSet(null, bootstrapServers);
    assertEquals(FIRST_SEEN.get(), bootstrapServers);
  }

  @Test
  void everyClassOfTheRunGetsTheSameRunningBroker() {
    KAFKA.createTopic("shared", 1);

    assertOneBrokerPerRun(KAFKA.bootstrapServers());
  }
}
