package io.shadowcar.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every command the launcher runs sets its Netty defaults first, and keeps a value given on the command line. */
class NettyDefaultsTest {

  private static final String RECYCLER = "io.netty.recycler.maxCapacityPerThread";
  private static final String JFR = "io.netty.jfr.enabled";

  private final String recyclerBefore = System.getProperty(RECYCLER);
  private final String jfrBefore = System.getProperty(JFR);

  @AfterEach
  void restore() {
    restore(RECYCLER, recyclerBefore);
    restore(JFR, jfrBefore);
  }

  @Test
  void theRecyclerAndNettysFlightEventsAreOffUnlessSet() {
    System.clearProperty(RECYCLER);
    System.clearProperty(JFR);
    help();
    assertEquals("0", System.getProperty(RECYCLER));
    assertEquals("false", System.getProperty(JFR));
  }

  @Test
  void aValueGivenOnTheCommandLineIsKept() {
    System.setProperty(RECYCLER, "4096");
    System.setProperty(JFR, "true");
    help();
    assertEquals("4096", System.getProperty(RECYCLER));
    assertEquals("true", System.getProperty(JFR));
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
