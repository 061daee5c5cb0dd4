package io.shadowcar.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import io.shadowcar.launcher.logging.AccessLog;
import io.shadowcar.launcher.logging.OneLineMessageConverter;
import io.shadowcar.launcher.logging.OneLineThrowableConverter;
import io.shadowcar.launcher.logging.QueuedAppender;
import io.shadowcar.launcher.logging.TerminatedLoopRejectionFilter;

/**
 * Logback's configuration, in code (a logback {@link Configurator} service): loading and running logback's XML
 * configurator costs more start-up time than starting the proxy. Read once, when the JVM starts, from
 * {@code -Dshadowcar.log.format}/{@code .level} or {@code SHADOWCAR_LOG_FORMAT}/{@code _LEVEL}:
 * <ul>
 *   <li>{@code console}: every logger, as text ({@code HH:mm:ss.SSS LEVEL [thread] logger - message}, control
 *       characters in messages, exceptions' included, escaped so a message never spans lines) or JSON;
 *   <li>the access log ({@code shadowcar.access}) on its own console appender behind a queue that drops when full
 *       ({@link QueuedAppender}, 8192 lines), so writing it never blocks an event loop;
 *   <li>Netflix's and Netty's loggers at WARN, Netty's warning about a task refused by a terminated event loop
 *       (the last milliseconds of a stop) at DEBUG ({@link TerminatedLoopRejectionFilter}).
 * </ul>
 * {@code -Dlogback.configurationFile} still wins: logback then reads that file as usual.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {

  static final String CONSOLE_PATTERN =
      "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{30} - %oneLineMsg%n%oneLineEx";
  static final String ACCESS_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %oneLineMsg%n%oneLineEx";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    boolean json = "json".equalsIgnoreCase(setting("shadowcar.log.format", "SHADOWCAR_LOG_FORMAT", "text"));
    Level level = Level.toLevel(setting("shadowcar.log.level", "SHADOWCAR_LOG_LEVEL", "INFO"), Level.INFO);

    ConsoleAppender<ILoggingEvent> console = console(context, "console",
        json ? jsonEncoder(context) : textEncoder(context, CONSOLE_PATTERN));
    ConsoleAppender<ILoggingEvent> accessConsole = console(context, "access-console",
        json ? jsonEncoder(context) : textEncoder(context, ACCESS_PATTERN));
    QueuedAppender access = new QueuedAppender(accessConsole, 8192);
    access.setContext(context);
    access.setName("access");
    access.start();

    Logger accessLogger = context.getLogger(AccessLog.LOGGER);
    accessLogger.setLevel(Level.INFO);
    accessLogger.setAdditive(false);
    accessLogger.addAppender(access);
    context.getLogger("com.netflix").setLevel(Level.WARN);
    context.getLogger("io.netty").setLevel(Level.WARN);
    TerminatedLoopRejectionFilter terminatedLoop = new TerminatedLoopRejectionFilter();
    terminatedLoop.setContext(context);
    terminatedLoop.start();
    context.addTurboFilter(terminatedLoop);
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(level);
    root.addAppender(console);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /**
   * One JSON object per line: {@code timestamp}, {@code level}, {@code threadName}, {@code loggerName}, {@code mdc},
   * {@code kvpList}, {@code formattedMessage}, {@code throwable}; no sequence numbers, context, raw message or
   * arguments.
   */
  public static JsonEncoder jsonEncoder(LoggerContext context) {
    JsonEncoder encoder = new JsonEncoder();
    encoder.setContext(context);
    encoder.setWithSequenceNumber(false);
    encoder.setWithNanoseconds(false);
    encoder.setWithContext(false);
    encoder.setWithMessage(false);
    encoder.setWithArguments(false);
    encoder.setWithFormattedMessage(true);
    encoder.start();
    return encoder;
  }

  /**
   * A text pattern's encoder, with {@code %oneLineMsg} ({@link OneLineMessageConverter}) for the message and
   * {@code %oneLineEx} ({@link OneLineThrowableConverter}) for the stack trace: what a peer put in a message or an
   * exception's message (a header value, an error text) cannot start a line of its own.
   */
  static Encoder<ILoggingEvent> textEncoder(LoggerContext context, String pattern) {
    PatternLayout layout = new PatternLayout();
    layout.setContext(context);
    layout.getInstanceConverterMap().put(OneLineMessageConverter.NAME, OneLineMessageConverter::new);
    layout.getInstanceConverterMap().put(OneLineThrowableConverter.NAME, OneLineThrowableConverter::new);
    layout.setPattern(pattern);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.start();
    return encoder;
  }

  private static ConsoleAppender<ILoggingEvent> console(LoggerContext context, String name,
      Encoder<ILoggingEvent> encoder) {
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setName(name);
    appender.setEncoder(encoder);
    appender.start();
    return appender;
  }

  private static String setting(String property, String environment, String fallback) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      value = System.getenv(environment);
    }
    return value == null || value.isBlank() ? fallback : value.trim();
  }
}
