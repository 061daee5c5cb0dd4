package io.shadowcar.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SettingCatalogTest {

  private static final Setting<Double> PERCENT =
      Setting.doubleIn("shadowcar.shadow.sample.percent", "100", 0, 100, "number 0-100", "share copied");
  private static final Setting<String> ROUTE_PATH =
      Setting.string("shadowcar.routes.NAME.path", null, "route path glob");
  private static final Setting<Void> PRODUCER =
      Setting.passThrough("shadowcar.shadow.kafka.producer", "producer settings");
  private final SettingCatalog catalog = new SettingCatalog(List.of(PERCENT, ROUTE_PATH, PRODUCER));

  @Test
  void aRuntimeCopyKeepsTheDeclarationAndOnlyAddsTheMark() {
    Setting<Double> live = PERCENT.runtime();

    assertTrue(live.isRuntime());
    assertFalse(PERCENT.isRuntime());
    assertEquals(List.of(PERCENT.key(), PERCENT.defaultText(), PERCENT.expected(), PERCENT.description()),
        List.of(live.key(), live.defaultText(), live.expected(), live.description()));
    assertEquals(PERCENT.defaultValue(), live.defaultValue());
    assertEquals(42.5, ConfigView.of(Map.of(live.key(), "42.5")).get(live));
  }

  @Test
  void knowsExactKeysFamilyMembersAndPassThroughSubKeys() {
    assertTrue(catalog.isKnown("shadowcar.shadow.sample.percent"));
    assertTrue(catalog.isKnown("shadowcar.routes.api.path"));
    assertTrue(catalog.isKnown("shadowcar.shadow.kafka.producer.max.in.flight.requests"));
    assertFalse(catalog.isKnown("shadowcar.routes..path"));
    assertFalse(catalog.isKnown("shadowcar.routes.api.pth"));
    assertFalse(catalog.isKnown("shadowcar.shadow.kafka.producer"));
  }

  @Test
  void suggestsTheKnownKeyForATypo() {
    List<ConfigProblem> problems = catalog.unknownKeys(Map.of("shadowcar.shadow.sampel.percent", "10"));
    assertEquals(List.of(new ConfigProblem("shadowcar.shadow.sampel.percent", "10",
        "a known key; did you mean shadowcar.shadow.sample.percent?")), problems);
  }

  @Test
  void suggestsWithinAFamilyKeepingTheName() {
    assertEquals(Optional.of("shadowcar.routes.api.path"), catalog.suggestion("shadowcar.routes.api.pth"));
  }

  @Test
  void ignoresKeysOutsideItsOwnPrefixAndOffersNoWildGuess() {
    assertEquals(List.of(), catalog.unknownKeys(Map.of("app.greeting", "hi")));
    assertEquals(Optional.empty(), catalog.suggestion("shadowcar.completely.different.thing"));
  }

  @Test
  void rejectsTheSameKeyDeclaredTwice() {
    assertThrows(IllegalArgumentException.class, () -> new SettingCatalog(List.of(PERCENT, PERCENT)));
  }
}
