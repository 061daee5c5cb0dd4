package io.shadowcar.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.shadowcar.proxy.tls.UpstreamTls;
import io.shadowcar.proxy.upstream.BreakerConfig;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProxyConfigTest {

  @Test
  void defaultsAreTheDocumentedKeyDefaults() {
    ProxyConfig d = ProxyConfig.defaults();
    assertEquals("0.0.0.0", d.host());
    assertEquals(7000, d.port());
    assertEquals(30_000, d.primaryTimeoutMs());
    assertEquals(8192, d.maxHeaderBytes());
    assertEquals(10_000, d.drainTimeoutMs());
  }

  @Test
  void rejectsOutOfRangeValuesNamingTheField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ProxyConfig("0.0.0.0", 70000,
        1000, 1000, 1, true, 8192, 4096, 0, 0, BreakerConfig.defaults(), 1, false, Optional.empty(),
        UpstreamTls.defaults(), TunnelConfig.defaults(), CallerLimits.defaults(), 0));
    assertEquals("port: 70000 (expected: >= 0 and <= 65535)", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new ProxyConfig("0.0.0.0", 1,
        -1, 1000, 1, true, 8192, 4096, 0, 0, BreakerConfig.defaults(), 1, false, Optional.empty(),
        UpstreamTls.defaults(), TunnelConfig.defaults(), CallerLimits.defaults(), 0));
    assertEquals("primaryTimeoutMs: -1 (expected: > 0)", e.getMessage());
  }

  @Test
  void rejectsAnIdleTimeoutThatWouldHideThePrimaryTimeout() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ProxyConfig("0.0.0.0", 1,
        30_000, 1000, 1, true, 8192, 4096, 10_000, 0, BreakerConfig.defaults(), 1, false, Optional.empty(),
        UpstreamTls.defaults(), TunnelConfig.defaults(), CallerLimits.defaults(), 0));
    assertEquals("idleTimeoutMs: 10000 (expected: 0 or > primaryTimeoutMs 30000)", e.getMessage());
  }
}
