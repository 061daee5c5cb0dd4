package io.shadowcar.tee;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

/** The Prometheus names operators and dashboards rely on (docs/operations.md) must not change. */
class TeeMetricsTest {

  @Test
  void exportsTheContractNamesToPrometheus() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    TeeMetrics metrics = new TeeMetrics(registry);
    metrics.copies("http", TeeMetrics.RESULT_SENT).increment();
    metrics.count(DropReason.INFLIGHT_FULL);
    metrics.count(DropReason.SAMPLED_OUT);
    metrics.shadowLatency("http", TeeMetrics.statusClass(503)).record(java.time.Duration.ofMillis(3));

    String text = registry.scrape();
    assertContains(text, "shadowcar_tee_copies_total{result=\"sent\",sink=\"http\"} 1.0");
    assertContains(text, "shadowcar_tee_dropped_total{reason=\"inflight_full\"} 1.0");
    assertContains(text, "shadowcar_tee_skipped_total{reason=\"sampled_out\"} 1.0");
    assertContains(text, "shadowcar_shadow_latency_seconds_bucket{sink=\"http\",status_class=\"5xx\",le=");
  }

  private static void assertContains(String text, String expected) {
    assertTrue(text.contains(expected), () -> "missing " + expected + " in\n" + text);
  }
}
