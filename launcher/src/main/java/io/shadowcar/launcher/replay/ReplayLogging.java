package io.shadowcar.launcher.replay;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import java.util.Iterator;
import org.slf4j.LoggerFactory;

/**
 * The replay command's logging: every log line on stderr, so stdout carries only the {@code --json} summary, and the
 * Kafka client's chatter (config dumps, reconnect warnings) kept to errors: the command says itself when the topic cannot be read.
 */
final class ReplayLogging {

  private ReplayLogging() {}

  static void toStderr() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    context.getLogger("org.apache.kafka").setLevel(Level.ERROR);
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    for (Iterator<Appender<ch.qos.logback.classic.spi.ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      if (it.next() instanceof ConsoleAppender<?> console && !"System.err".equals(console.getTarget())) {
        console.stop();
        console.setTarget("System.err");
        console.start();
      }
    }
  }
}
