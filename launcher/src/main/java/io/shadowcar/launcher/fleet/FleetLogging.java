package io.shadowcar.launcher.fleet;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import io.shadowcar.launcher.LogSetup;
import java.util.Iterator;
import org.slf4j.LoggerFactory;

/**
 * The fleet commands' logging: the sidecar's console log, Kafka's client kept to warnings (its config dumps and
 * join/leave lines would drown the progress line), and with {@code --json-log} one JSON object per line (logback's
 * {@link JsonEncoder}; the progress line's numbers are its key-value pairs).
 */
final class FleetLogging {

  private FleetLogging() {}

  static void configure(boolean json) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    context.getLogger("org.apache.kafka").setLevel(Level.WARN);
    if (!json) {
      return;
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      if (it.next() instanceof ConsoleAppender<ILoggingEvent> console) {
        console.stop();
        console.setEncoder(LogSetup.jsonEncoder(context));
        console.start();
      }
    }
  }
}
