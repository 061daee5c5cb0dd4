package io.shadowcar.proxy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shadowcar.proxy.ProxyMetrics.Outcome;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProxyMetricsTest {

  @Test
  void exportsALatencyHistogramAndErrorCountersToPrometheus() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ProxyMetrics metrics = new ProxyMetrics(registry);
    metrics.exchangeStarted();
    metrics.exchangeEnded(Outcome.FORWARDED, 204, TimeUnit.MILLISECONDS.toNanos(12));
    metrics.error(ProxyError.TIMEOUT);
    String scrape = registry.scrape();
    assertTrue(scrape.contains("shadowcar_primary_requests_seconds_bucket{outcome=\"forwarded\",status_class=\"2xx\","),
        scrape);
    assertTrue(scrape.contains("shadowcar_primary_errors_total{kind=\"timeout\"} 1.0"), scrape);
    assertTrue(scrape.contains("shadowcar_primary_errors_total{kind=\"caller_reset\"} 0.0"), scrape);
    assertTrue(scrape.contains("shadowcar_primary_active 0.0"), scrape);
    assertTrue(scrape.contains("shadowcar_tap_errors_total 0.0"), scrape);
  }
}
