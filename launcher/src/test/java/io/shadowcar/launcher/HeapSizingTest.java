package io.shadowcar.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shadowcar.launcher.config.ConfigBinder;
import io.shadowcar.launcher.config.ConfigSnapshot;
import io.shadowcar.launcher.config.KnownSettings;
import io.shadowcar.launcher.config.SidecarConfig;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeapSizingTest {

  private static SidecarConfig config(Map<String, String> values) {
    Map<String, String> all = new HashMap<>(KnownSettings.defaults());
    all.put("shadowcar.primary.targets", "http://127.0.0.1:8081");
    all.putAll(values);
    return ConfigBinder.bind(ConfigSnapshot.of(all));
  }

  @Test
  void theDefaultBoundsWantTheHeapOfTheShippedJvmFlags() {
    assertEquals(160L << 20, HeapSizing.neededBytes(config(Map.of())));
    assertNull(HeapSizing.warning(160L << 20, config(Map.of())));
  }

  @Test
  void aHeapBelowWhatTheBoundsMayFillIsNamedWithTheKeysToChange() {
    SidecarConfig bigger = config(Map.of("shadowcar.shadow.maxBufferedBytes", String.valueOf(256L << 20)));

    String warning = HeapSizing.warning(160L << 20, bigger);

    assertEquals(352L << 20, HeapSizing.neededBytes(bigger));
    assertTrue(warning.startsWith("heap max 160 MiB is below the 352 MiB"), warning);
    assertTrue(warning.contains("shadowcar.shadow.maxBufferedBytes"), warning);
  }
}
