package io.shadowcar.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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

  @Test
  void masksKafkaAndOAuthSecretsByKey() {
    Map<String, String> masked = SecretMasker.mask(new TreeMap<>(Map.of(
        "shadowcar.shadow.kafka.producer.sasl.jaas.config",
        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"p4ss\";",
        "shadowcar.shadow.kafka.producer.basic.auth.user.info", "user:p4ss",
        "app.secretKey", "abc",
        "app.client.secret.primary", "abc",
        "app.clientSecret", "abc",
        "shadowcar.mask.key", "0123456789abcdef",
        "shadowcar.admin.token", "tok",
        "shadowcar.shadow.forwardCredentials", "false",
        "shadowcar.admin.tokenFile", "/run/secrets/admin-token")));
    assertEquals("******", masked.get("shadowcar.shadow.kafka.producer.sasl.jaas.config"));
    assertEquals("******", masked.get("shadowcar.shadow.kafka.producer.basic.auth.user.info"));
    assertEquals("******", masked.get("app.secretKey"));
    assertEquals("******", masked.get("app.client.secret.primary"));
    assertEquals("******", masked.get("app.clientSecret"));
    assertEquals("******", masked.get("shadowcar.mask.key"));
    assertEquals("******", masked.get("shadowcar.admin.token"));
    assertEquals("false", masked.get("shadowcar.shadow.forwardCredentials"), "a switch, not a credential");
    assertEquals("/run/secrets/admin-token", masked.get("shadowcar.admin.tokenFile"), "a path is not the secret");
  }

  @Test
  void masksSecretsInsideValuesWhateverTheKey() {
    assertEquals("jdbc:postgresql://db:5432/app?user=app&password=******&ssl=true",
        SecretMasker.mask("app.datasource", "jdbc:postgresql://db:5432/app?user=app&password=pw1&ssl=true"));
    assertEquals("jdbc:sqlserver://db;user=app;Password=******;encrypt=true",
        SecretMasker.maskValue("jdbc:sqlserver://db;user=app;Password=pw1;encrypt=true"));
    assertEquals("PlainLoginModule required username=\"u\" password=\"******\";",
        SecretMasker.mask("app.login", "PlainLoginModule required username=\"u\" password=\"p4ss\";"));
    assertEquals("Authorization: Bearer ******", SecretMasker.maskValue("Authorization: Bearer eyJhbGciOi.x.y"));
    assertEquals("Basic ******", SecretMasker.maskValue("Basic dXNlcjpwYXNz"));
    assertEquals("http://user:******@eureka:8761/eureka", SecretMasker.maskValue("http://user:pw@eureka:8761/eureka"));
    assertEquals("header:X-User", SecretMasker.maskValue("header:X-User"));
    assertEquals("a token-less value", SecretMasker.maskValue("a token-less value"));
  }

  @Test
  void problemsNeverShowASecretValue() {
    ConfigProblem unknown = new ConfigProblem("shadowcar.shadow.kafka.sasl.jaas.config",
        "PlainLoginModule required password=\"p4ss\";", "a known key");
    ConfigProblem invalid = new ConfigProblem("shadowcar.primary.targets", "http://u:p4ss@x y", "a URL");
    assertFalse(unknown.toString().contains("p4ss"), unknown.toString());
    assertFalse(invalid.toString().contains("p4ss"), invalid.toString());
    assertEquals("shadowcar.primary.targets: 'http://u:******@x y' (expected: a URL)", invalid.toString());
  }
}
