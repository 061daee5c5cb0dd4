package io.shadowcar.launcher.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.shadowcar.common.text.OneLine;

/**
 * {@code %oneLineMsg} in a text log pattern: the formatted message with its control characters escaped
 * ({@link OneLine}). Messages quote what peers sent (a refused header value, a shadow's error text, a check script's
 * output); in a text log a line break among them would start a line that looks like the sidecar's own. JSON lines
 * need none of this: the encoder escapes them. {@link OneLineThrowableConverter} does the same for the messages in a
 * stack trace.
 */
public final class OneLineMessageConverter extends ClassicConverter {

  /** The name the text patterns use. */
  public static final String NAME = "oneLineMsg";

  @Override
  public String convert(ILoggingEvent event) {
    return OneLine.of(event.getFormattedMessage()); // null stays null: logback writes "null", as for %msg
  }
}
