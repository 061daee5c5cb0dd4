package io.shadowcar.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shadowcar.common.config.ConfigView;
import io.shadowcar.common.config.Setting;
import io.shadowcar.sink.http.HttpShadowSinkConfig;
import io.shadowcar.sink.kafka.KafkaShadowSinkConfig;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShadowSinkProvidersTest {

  @Test
  void findsTheBuiltInSinksThroughTheServiceLoader() {
    assertEquals(Set.of("http", "kafka"), ShadowSinkProviders.tags());
  }

  @Test
  void keepsTheHistoricKeysOfTheHttpSinkAndTheKafkaPrefix() {
    List<String> keys = ShadowSinkProviders.settings().stream().map(Setting::key).toList();
    assertTrue(keys.containsAll(List.of("shadowcar.shadow.targets", "shadowcar.shadow.maxInflight",
        "shadowcar.shadow.maxRatePerSecond", "shadowcar.shadow.timeout.ms", "shadowcar.shadow.http.maxPoolSize",
        "shadowcar.shadow.breaker.failureRatePercent", "shadowcar.shadow.breaker.minimumCalls",
        "shadowcar.shadow.breaker.openMs", "shadowcar.shadow.kafka.bootstrap", "shadowcar.shadow.kafka.producer.*")),
        keys.toString());
    assertTrue(keys.stream().noneMatch(k -> k.equals("shadowcar.shadow.maxCapturedResponseBytes")),
        "the capture cap is the tee's setting, read once");
  }

  @Test
  void bindsOnlyTheSinksASnapshotConfigures() {
    assertTrue(ShadowSinkProviders.bindAll(ConfigView.of(Map.of())).isEmpty());

    ConfigView view = ConfigView.of(Map.of(
        "shadowcar.shadow.targets", "http://s:1",
        "shadowcar.shadow.maxInflight", "7",
        "shadowcar.shadow.kafka.bootstrap", "k:9092",
        "shadowcar.shadow.kafka.topic", "t",
        "shadowcar.shadow.kafka.producer.client.rack", "r1"));
    List<BoundSink<?>> bound = ShadowSinkProviders.bindAll(view);

    assertEquals(List.of("http", "kafka"), bound.stream().map(BoundSink::tag).toList());
    assertEquals(7, ((HttpShadowSinkConfig) bound.get(0).config()).maxInflight());
    assertEquals(Map.of("client.rack", "r1"), ((KafkaShadowSinkConfig) bound.get(1).config()).producerOverrides());
    assertTrue(view.problems().isEmpty(), view.problems().toString());
  }

  @Test
  void defaultsAreTheDeclaredOnes() {
    ConfigView view = ConfigView.of(Map.of("shadowcar.shadow.targets", "http://s:1"));
    assertEquals(HttpShadowSinkConfig.defaults(), ShadowSinkProviders.bindAll(view).get(0).config());
  }
}
