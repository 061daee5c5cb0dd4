package io.shadowcar.testkit.kafka;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Turns the in-JVM broker's loggers down to WARN when logback is the test's slf4j binding, so a test log shows the
 * test, not the broker's start-up chatter, whatever the module's logback-test.xml says. Does nothing with any other
 * slf4j binding.
 */
final class KafkaLogLevels {

  private static final List<String> BROKER_LOGGERS =
      List.of("kafka", "org.apache.kafka", "state.change.logger", "org.apache.zookeeper");

  private KafkaLogLevels() {}

  static void quietKafka() {
    if (!logbackPresent() || !(LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext)) {
      return;
    }
    for (String name : BROKER_LOGGERS) {
      ((Logger) LoggerFactory.getLogger(name)).setLevel(Level.WARN);
    }
    // Clients log a WARN per reconnect attempt while a test holds the broker down; that is the expected state there.
    ((Logger) LoggerFactory.getLogger("org.apache.kafka.clients.NetworkClient")).setLevel(Level.ERROR);
  }

  private static boolean logbackPresent() {
    try {
      Class.forName("ch.qos.logback.classic.LoggerContext", false, KafkaLogLevels.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
