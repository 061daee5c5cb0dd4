package io.shadowcar.testkit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * The messages one class's logger writes at a level or above while a test runs: attached when made, detached on
 * {@link #close()}. The logger's level is lowered to that level meanwhile (a test configuration that logs only WARN
 * would otherwise hide an INFO line the test looks for) and restored on close. Loggers write from event loops and
 * other threads, so the messages are kept in a list safe to read while they are added.
 */
public final class LogCapture implements AutoCloseable {

  private final Logger logger;
  private final Level levelBefore;
  private final Level threshold;
  private final List<String> messages = new CopyOnWriteArrayList<>();
  private final List<String> throwables = new CopyOnWriteArrayList<>();
  private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
    @Override
    protected void append(ILoggingEvent event) {
      if (event.getLevel().isGreaterOrEqual(threshold)) {
        if (event.getThrowableProxy() != null) {
          throwables.add(ThrowableProxyUtil.asString(event.getThrowableProxy()));
        }
        messages.add(event.getFormattedMessage());
      }
    }
  };

  private LogCapture(Class<?> source, Level threshold) {
    this.logger = (Logger) LoggerFactory.getLogger(source);
    this.levelBefore = logger.getLevel();
    this.threshold = threshold;
    appender.setContext(logger.getLoggerContext());
    appender.start();
    logger.addAppender(appender);
    logger.setLevel(threshold);
  }

  /** Captures what {@code source}'s logger writes at {@code threshold} or above, until closed. */
  public static LogCapture of(Class<?> source, Level threshold) {
    return new LogCapture(source, threshold);
  }

  /** The formatted messages so far, oldest first. */
  public List<String> messages() {
    return List.copyOf(messages);
  }

  /** The throwables logged with those messages so far (message and frames, as logback prints them), oldest first. */
  public List<String> throwables() {
    return List.copyOf(throwables);
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    logger.setLevel(levelBefore);
    appender.stop();
  }
}
