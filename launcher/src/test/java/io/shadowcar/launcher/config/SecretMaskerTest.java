package io.shadowcar.launcher.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SecretMaskerTest {

  @Test
  void masksSecretLookingKeysAndUrlPasswordsOnly() {
    Map<String, String> masked = SecretMasker.mask(new TreeMap<>(Map.of(
        "shadowcar.eureka.password", "hunter2",
        "db.apiKey", "k",
        "shadowcar.auth.token", "t",
        "shadowcar.config.dynamic.url", "https://ops:s3cr3t@config.example/sidecar.properties",
        "shadowcar.shadow.sample.key", "header:X-User",
        "shadowcar.shadow.maxInflight", "1024")));

    assertEquals(Map.of(
        "shadowcar.eureka.password", "******",
        "db.apiKey", "******",
        "shadowcar.auth.token", "******",
        "shadowcar.config.dynamic.url", "https://ops:******@config.example/sidecar.properties",
        "shadowcar.shadow.sample.key", "header:X-User",
        "shadowcar.shadow.maxInflight", "1024"), masked);
  }
}
