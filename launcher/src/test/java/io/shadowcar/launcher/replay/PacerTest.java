package io.shadowcar.launcher.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shadowcar.launcher.replay.ReplayOptions.Pacing;
import org.junit.jupiter.api.Test;

class PacerTest {

  private static final long MS = 1_000_000L;

  @Test
  void fixedRateSpacesRequestsEvenlyWhateverTheirTimestamps() {
    Pacer pacer = Pacer.of(new Pacing(Pacing.Mode.FIXED_RATE, 20));

    assertEquals(1000 * MS, pacer.dueNanos(5, 1000 * MS));
    assertEquals(1050 * MS, pacer.dueNanos(5, 1000 * MS));
    assertEquals(1100 * MS, pacer.dueNanos(99_999, 1010 * MS));
  }

  @Test
  void fixedRateKeepsTheScheduleWhenTheThreadWakesALittleLate() {
    Pacer pacer = Pacer.of(new Pacing(Pacing.Mode.FIXED_RATE, 20));
    pacer.dueNanos(0, 0);

    assertEquals(50 * MS, pacer.dueNanos(0, 57 * MS));
    assertEquals(100 * MS, pacer.dueNanos(0, 60 * MS));
  }

  @Test
  void fixedRateDoesNotBurstToMakeUpForTimeSpentWaiting() {
    Pacer pacer = Pacer.of(new Pacing(Pacing.Mode.FIXED_RATE, 10));
    pacer.dueNanos(0, 0);

    // the target held every permit for 2 s: 100 ms are made up (two requests at once), not the 19 missed
    assertEquals(1900 * MS, pacer.dueNanos(0, 2000 * MS));
    assertEquals(2000 * MS, pacer.dueNanos(0, 2000 * MS));
    assertEquals(2100 * MS, pacer.dueNanos(0, 2000 * MS));
  }

  @Test
  void recordedPaceKeepsTheGapsDividedBySpeed() {
    Pacer pacer = Pacer.of(new Pacing(Pacing.Mode.RECORDED, 2));

    assertEquals(500 * MS, pacer.dueNanos(10_000, 500 * MS));
    assertEquals(500 * MS + 1000 * MS, pacer.dueNanos(12_000, 600 * MS));
    // recorded before the first one (another partition): due at once
    assertEquals(500 * MS, pacer.dueNanos(9_000, 700 * MS));
  }
}
