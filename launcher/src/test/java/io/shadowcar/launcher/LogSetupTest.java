package io.shadowcar.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.encoder.Encoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogSetupTest {

  private final LoggerContext context = new LoggerContext();

  {
    context.setMDCAdapter(new LogbackMDCAdapter()); // what logback's provider gives the context of a running JVM
  }

  private String line(String pattern, String message, Object... arguments) {
    return line(pattern, null, message, arguments);
  }

  private String line(String pattern, Throwable thrown, String message, Object... arguments) {
    Encoder<ILoggingEvent> encoder = LogSetup.textEncoder(context, pattern);
    LoggingEvent event = new LoggingEvent(getClass().getName(),
        context.getLogger("io.shadowcar.sink.http.HttpShadowSink"), Level.WARN, message, thrown, arguments);
    event.setThreadName("vert.x-eventloop-thread-0");
    return new String(encoder.encode(event), StandardCharsets.UTF_8);
  }

  @Test
  void aPeersLineBreakCannotStartALineOfItsOwn() {
    String line = line(LogSetup.CONSOLE_PATTERN, "shadow {}: 1 copy failed (last: {})", "http://127.0.0.1:9",
        "invalid header value a\r\n12:00:00.000 INFO  [main] i.s.launcher.Main - all good");

    assertEquals(1, line.split("\n", -1).length - 1, line);
    assertTrue(line.endsWith(" WARN  [vert.x-eventloop-thread-0] i.s.sink.http.HttpShadowSink - shadow "
        + "http://127.0.0.1:9: 1 copy failed (last: invalid header value a\\r\\n12:00:00.000 INFO  [main] "
        + "i.s.launcher.Main - all good)" + System.lineSeparator()), line);
  }

  @Test
  void theAccessLogsLinesAreOneLineToo() {
    String line = line(LogSetup.ACCESS_PATTERN, "GET {} 200", "/a\u001b[2Jb");

    assertTrue(line.endsWith(" GET /a\\u001b[2Jb 200" + System.lineSeparator()), line);
  }

  @Test
  void aNullMessageIsWrittenAsLogbackWritesIt() {
    assertTrue(line(LogSetup.CONSOLE_PATTERN, null).endsWith(" - null" + System.lineSeparator()));
  }

  @Test
  void anExceptionsMessageInTheStackTraceStaysOnItsLineAndTheFramesKeepTheirs() {
    IllegalArgumentException thrown = new IllegalArgumentException("invalid header value a\r\nFORGED line",
        new IllegalStateException("cause\nFORGED too"));
    thrown.addSuppressed(new RuntimeException("suppressed\rFORGED"));

    String text = line(LogSetup.CONSOLE_PATTERN, thrown, "request failed");

    List<String> lines = text.lines().toList();
    assertTrue(lines.get(0).endsWith(" - request failed"), text);
    assertTrue(lines.contains("java.lang.IllegalArgumentException: invalid header value a\\r\\nFORGED line"), text);
    assertTrue(lines.stream().anyMatch(l -> l.endsWith("java.lang.RuntimeException: suppressed\\rFORGED")), text);
    assertTrue(lines.contains("Caused by: java.lang.IllegalStateException: cause\\nFORGED too"), text);
    assertTrue(lines.stream().noneMatch(l -> l.startsWith("FORGED")), text);
    assertTrue(lines.stream().filter(l -> l.startsWith("\tat ")).count() > 3, "one line per frame: " + text);
  }
}
