package io.shadowcar.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every command the launcher runs sets its Netty and Vert.x defaults first, and keeps a value given on the command
 * line.
 */
class RuntimeDefaultsTest {

  private static final String RECYCLER = "io.netty.recycler.maxCapacityPerThread";
  private static final String JFR = "io.netty.jfr.enabled";
  private static final String CONTEXT_TIMINGS = "vertx.disableContextTimings";

  private final String recyclerBefore = System.getProperty(RECYCLER);
  private final String jfrBefore = System.getProperty(JFR);
  private final String timingsBefore = System.getProperty(CONTEXT_TIMINGS);

  @AfterEach
  void restore() {
    restore(RECYCLER, recyclerBefore);
    restore(JFR, jfrBefore);
    restore(CONTEXT_TIMINGS, timingsBefore);
  }

  @Test
  void theRecyclerNettysFlightEventsAndVertxsTaskTimingsAreOffUnlessSet() {
    System.clearProperty(RECYCLER);
    System.clearProperty(JFR);
    System.clearProperty(CONTEXT_TIMINGS);
    help();
    assertEquals("0", System.getProperty(RECYCLER));
    assertEquals("false", System.getProperty(JFR));
    assertEquals("true", System.getProperty(CONTEXT_TIMINGS));
  }

  @Test
  void aValueGivenOnTheCommandLineIsKept() {
    System.setProperty(RECYCLER, "4096");
    System.setProperty(JFR, "true");
    System.setProperty(CONTEXT_TIMINGS, "false");
    help();
    assertEquals("4096", System.getProperty(RECYCLER));
    assertEquals("true", System.getProperty(JFR));
    assertEquals("false", System.getProperty(CONTEXT_TIMINGS));
  }

  private static void help() {
    PrintStream sink = new PrintStream(new ByteArrayOutputStream());
    assertEquals(Main.OK, Main.run(new String[] {"--help"}, sink, sink));
  }

  private static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }
}
