package io.shadowcar.launcher.config;

import io.shadowcar.common.config.ConfigProblem;
import io.shadowcar.common.config.InvalidConfigException;
import io.shadowcar.common.target.TargetUrl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import io.shadowcar.tee.RouteRule;
import io.shadowcar.proxy.tls.UpstreamAlpn;
import io.shadowcar.sink.http.HttpShadowSinkConfig;
import io.shadowcar.sink.kafka.KafkaShadowSinkConfig;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

class ConfigBinderTest {

  private static ConfigSnapshot withDefaults(Map<String, String> values) {
    Map<String, String> all = new HashMap<>(KnownSettings.defaults());
    all.putAll(values);
    return ConfigSnapshot.of(all);
  }

  private static List<String> problems(Map<String, String> values) {
    InvalidConfigException e =
        assertThrows(InvalidConfigException.class, () -> ConfigBinder.bind(withDefaults(values)));
    return e.problems().stream().map(ConfigProblem::toString).toList();
  }

  @Test
  void aDynamicSourceMaySetRuntimeKeysAndTheServicesOwnKeysOnly() {
    Map<String, String> values = new HashMap<>(KnownSettings.defaults());
    values.putAll(Map.of("shadowcar.primary.targets", "http://127.0.0.1:8081",
        "shadowcar.shadow.sample.percent", "5",
        "shadowcar.routes.api.path", "/api/**",
        "shadowcar.diff.ignore.paths", "body.id",
        "app.db.url", "jdbc:h2:mem:app",
        "shadowcar.templates.app.source", "/etc/app.tmpl",
        "shadowcar.templates.app.target", "/etc/app.properties",
        "shadowcar.templates.app.command", "systemctl reload app",
        "shadowcar.shadow.kafka.producer.ssl.key.password", "s3cr3t"));
    Map<String, String> origins = new HashMap<>();
    for (String key : List.of("shadowcar.shadow.sample.percent", "shadowcar.routes.api.path",
        "shadowcar.diff.ignore.paths", "app.db.url", "shadowcar.templates.app.source",
        "shadowcar.templates.app.target", "shadowcar.templates.app.command",
        "shadowcar.shadow.kafka.producer.ssl.key.password")) {
      origins.put(key, "https://ops:hunter2@config.example/app.properties");
    }

    InvalidConfigException e =
        assertThrows(InvalidConfigException.class, () -> ConfigBinder.bind(ConfigSnapshot.of(values, origins)));

    String expected = " (expected: set in the --config file: the dynamic source "
        + "https://ops:******@config.example/app.properties may set only runtime keys)";
    assertEquals(List.of(
        "shadowcar.shadow.kafka.producer.ssl.key.password: '******'" + expected,
        "shadowcar.templates.app.command: 'systemctl reload app'" + expected,
        "shadowcar.templates.app.source: '/etc/app.tmpl'" + expected,
        "shadowcar.templates.app.target: '/etc/app.properties'" + expected),
        e.problems().stream().map(ConfigProblem::toString).toList());
    values.keySet().removeIf(key -> key.startsWith("shadowcar.templates.") || key.contains(".kafka."));
    origins.keySet().removeIf(key -> !values.containsKey(key));
    assertEquals(5.0, ConfigBinder.bind(ConfigSnapshot.of(values, origins)).tee().samplePercent());
  }

  @Test
  void refusesAPlainHttpDynamicUrlUnlessAllowed() {
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigBinder.bindDynamicSources(
        withDefaults(Map.of("shadowcar.config.dynamic.url", "http://config.example/app.properties"))));
    assertEquals(List.of("shadowcar.config.dynamic.url: 'http://config.example/app.properties' (expected: an "
            + "https:// or file: URL; http:// only with shadowcar.config.dynamic.allowInsecureUrl=true)"),
        e.problems().stream().map(ConfigProblem::toString).toList());

    for (String url : List.of("https://config.example/app.properties", "file:/etc/shadowcar/dynamic.properties")) {
      assertEquals(URI.create(url), ConfigBinder.bindDynamicSources(
          withDefaults(Map.of("shadowcar.config.dynamic.url", url))).url().orElseThrow());
    }
    assertTrue(ConfigBinder.bindDynamicSources(withDefaults(Map.of(
        "shadowcar.config.dynamic.url", "http://config.example/app.properties",
        "shadowcar.config.dynamic.allowInsecureUrl", "true"))).url().isPresent());
  }

  @Test
  void rejectsAnUnknownKeyWithTheKeyItProbablyMeant() {
    assertEquals(List.of("shadowcar.shadow.sampel.percent: '10' (expected: a known key; did you mean "
            + "shadowcar.shadow.sample.percent?)"),
        problems(Map.of("shadowcar.primary.targets", "http://127.0.0.1:8081",
            "shadowcar.shadow.sampel.percent", "10")));
  }

  @Test
  void rejectsAnUnknownKeyInsideAFamilyKeepingItsName() {
    assertEquals(List.of("shadowcar.checks.db.intervl.ms: '5000' (expected: a known key; did you mean "
            + "shadowcar.checks.db.interval.ms?)"),
        problems(Map.of("shadowcar.primary.targets", "http://127.0.0.1:8081",
            "shadowcar.checks.db.tcp", "127.0.0.1:5432", "shadowcar.checks.db.intervl.ms", "5000")));
  }

  @Test
  void leavesKeysOutsideItsNamespaceAlone() {
    ConfigBinder.bind(withDefaults(Map.of("shadowcar.primary.targets", "http://127.0.0.1:8081",
        "app.greeting", "hello", "orders.db.url", "jdbc:x")));
  }

  @Test
  void bindsDefaultsWithStaticPrimaryTargets() {
    SidecarConfig config = ConfigBinder.bind(
        withDefaults(Map.of("shadowcar.primary.targets", "http://127.0.0.1:8081, http://127.0.0.1:8082")));

    assertEquals("0.0.0.0", config.proxy().host());
    assertEquals(7000, config.proxy().port());
    assertEquals(10_000, config.proxy().drainTimeoutMs());
    assertEquals(30_000, config.proxy().primaryTimeoutMs());
    assertEquals(new ListenAddress("127.0.0.1", 7070), config.admin());
    assertEquals(new TargetsSpec.Static(List.of(TargetUrl.parse("http://127.0.0.1:8081"), TargetUrl.parse("http://127.0.0.1:8082"))),
        config.primaryTargets());
    assertTrue(config.sinks().isEmpty(), "no sink without shadow targets or a Kafka bootstrap");
    assertEquals(100.0, config.tee().samplePercent());
    assertEquals(Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS), config.tee().methods());
    assertTrue(config.shadowTargets().isEmpty());
    assertFalse(config.tee().enabled(), "nothing is copied without a sink");
  }

  @Test
  void namesTheKeyValueAndExpectationOfABadValue() {
    assertEquals(List.of("shadowcar.shadow.maxInflight: 'abc' (expected: integer 1-100000)"),
        problems(Map.of("shadowcar.primary.targets", "http://p:1", "shadowcar.shadow.maxInflight", "abc")));
  }

  @Test
  void refusesAnAdminPortOffLoopbackWithoutAToken() {
    assertEquals(List.of("shadowcar.admin.token: missing (expected: an admin token (shadowcar.admin.token or "
        + "shadowcar.admin.tokenFile) because shadowcar.admin.host 0.0.0.0 is not loopback: whoever reaches the port "
        + "could change the instance's status)"), problems(Map.of("shadowcar.primary.targets", "http://p:1",
            "shadowcar.admin.host", "0.0.0.0")));
    SidecarConfig withToken = ConfigBinder.bind(withDefaults(Map.of("shadowcar.primary.targets", "http://p:1",
        "shadowcar.admin.host", "0.0.0.0", "shadowcar.admin.token", "t0ken-t0ken")));
    assertTrue(withToken.adminAccess().hasToken());
    assertTrue(ConfigBinder.bind(withDefaults(Map.of("shadowcar.primary.targets", "http://p:1",
        "shadowcar.admin.host", "0.0.0.0", "shadowcar.admin.tokenFile", "/run/secrets/admin")))
        .adminAccess().hasToken());
    assertFalse(ConfigBinder.bind(withDefaults(Map.of("shadowcar.primary.targets", "http://p:1",
        "shadowcar.admin.host", "::1"))).adminAccess().hasToken(), "loopback needs no token");
  }

  @Test
  void namesTheKeyOfBadAdminHealthProxyAndMaskValues() {
    List<String> problems = problems(Map.of("shadowcar.primary.targets", "http://p:1",
        "shadowcar.admin.token", "t", "shadowcar.admin.tokenFile", "/t",
        "shadowcar.admin.allowedHosts", "ok.example, bad host:80",
        "shadowcar.health.port", "-2",
        "shadowcar.proxy.trustedProxies", "10.0.0.0/8, proxy.internal",
        "shadowcar.mask.key", "short"));
    assertEquals(List.of(
        "shadowcar.admin.token: '******' (expected: shadowcar.admin.token or shadowcar.admin.tokenFile, not both)",
        "shadowcar.health.port: '-2' (expected: port 0-65535 (0 = any free port), or -1 for none)",
        "shadowcar.mask.key: '******' (expected: at least 16 characters)",
        "shadowcar.proxy.trustedProxies: 'proxy.internal' (expected: IP addresses or CIDR blocks, e.g. 10.0.0.0/8, "
            + "::1)"), problems.stream().sorted().toList());
  }

  @Test
  void theHealthPortListensOnEveryInterfaceByDefaultAndCanBeTurnedOff() {
    SidecarConfig defaults = ConfigBinder.bind(withDefaults(Map.of("shadowcar.primary.targets", "http://p:1")));
    assertEquals(new ListenAddress("0.0.0.0", 7071), defaults.healthPort().orElseThrow());
    assertEquals(new ListenAddress("127.0.0.1", 7070), defaults.admin(), "the admin port stays on loopback");
    SidecarConfig off = ConfigBinder.bind(withDefaults(Map.of("shadowcar.primary.targets", "http://p:1",
        "shadowcar.health.port", "-1", "shadowcar.eureka.instanceIp", "10.0.0.5")));
    assertTrue(off.healthPort().isEmpty());
    assertEquals(URI.create("http://10.0.0.5:7070/healthcheck"), off.eureka().healthCheckUrl(),
        "without a health port the URLs name the admin port");
  }

  @Test
  void copiesLoseCredentialsAndCallersTheMarkerUnlessConfiguredOtherwise() {
    SidecarConfig config = ConfigBinder.bind(withDefaults(Map.of("shadowcar.primary.targets", "http://p:1",
        "shadowcar.shadow.targets", "http://s:2", "shadowcar.shadow.header", "X-Copy",
        "shadowcar.routes.login.path", "/login", "shadowcar.routes.login.forwardCredentials", "true",
        "shadowcar.proxy.trustedProxies", "10.0.0.0/8")));
    assertEquals(Set.of("authorization", "cookie"), config.tee().credentialHeaders());
    assertFalse(config.tee().forwardCredentials());
    assertEquals(Boolean.TRUE, config.tee().routes().get(0).forwardCredentials());
    assertEquals(Set.of("x-copy"), config.forwarding().removedCallerHeaders());
    assertTrue(config.forwarding().trustedProxies().trusts("10.1.2.3"));
  }

  @Test
  void reportsEveryBadKeyAtOnce() {
    List<String> problems = problems(Map.of(
        "shadowcar.shadow.sample.percent", "100.5",
        "shadowcar.shadow.enabled", "yes",
        "shadowcar.admin.port", "70700",
        "shadowcar.shadow.targets", "ftp://x"));

    assertEquals(List.of(
        "shadowcar.admin.port: '70700' (expected: port 0-65535 (0 = any free port))",
        "shadowcar.primary.targets: missing (expected: comma list of http://, https:// or h2c://host[:port][/prefix] base URLs, or eureka:VIPADDRESS)",
        "shadowcar.shadow.enabled: 'yes' (expected: true or false)",
        "shadowcar.shadow.sample.percent: '100.5' (expected: number 0-100)",
        "shadowcar.shadow.targets: 'ftp://x' (expected: comma list of http://, https:// or h2c://host[:port][/prefix] base URLs, or eureka:VIPADDRESS)"),
        problems.stream().sorted().toList());
  }

  @Test
  void enablesTheTeeForHttpShadowTargets() {
    SidecarConfig config = ConfigBinder.bind(withDefaults(Map.of(
        "shadowcar.primary.targets", "http://p:1", "shadowcar.shadow.targets", "http://s:2")));

    assertTrue(config.tee().enabled());
    assertEquals(Set.of("http"), config.tee().sinks());
    HttpShadowSinkConfig http = config.sinkConfig("http", HttpShadowSinkConfig.class).orElseThrow();
    assertEquals(1024, http.maxInflight());
    assertEquals(5_000, http.timeoutMs());
  }

  @Test
  void eachTargetListChoosesItsOwnAlpn() {
    SidecarConfig config = ConfigBinder.bind(withDefaults(Map.of(
        "shadowcar.primary.targets", "https://p:1", "shadowcar.shadow.targets", "https://s:2",
        "shadowcar.shadow.tls.alpn", "h2,http/1.1")));

    assertEquals(UpstreamAlpn.HTTP_1_1, config.proxy().primaryTls().alpn(), "HTTP/1.1 unless asked");
    assertEquals(UpstreamAlpn.H2_HTTP_1_1,
        config.sinkConfig("http", HttpShadowSinkConfig.class).orElseThrow().tls().alpn());
    assertEquals(List.of("shadowcar.primary.tls.alpn: 'h2' (expected: http/1.1 or h2,http/1.1)"),
        problems(Map.of("shadowcar.primary.targets", "https://p:1", "shadowcar.primary.tls.alpn", "h2")));
  }

  @Test
  void namesTheKeyWhenAModuleRecordRejectsAValue() {
    assertEquals(List.of("shadowcar.shadow.methods: 'POST' (expected: GET, HEAD, OPTIONS, TRACE; opt unsafe "
            + "methods in per route)"),
        problems(Map.of("shadowcar.primary.targets", "http://p:1", "shadowcar.shadow.methods", "GET,POST")));
  }

  @Test
  void acceptsEurekaVipTargetsAndDecimalPercent() {
    SidecarConfig config = ConfigBinder.bind(withDefaults(Map.of(
        "shadowcar.primary.targets", "eureka:orders",
        "shadowcar.shadow.targets", "eureka:orders-shadow",
        "shadowcar.shadow.sample.percent", "0.5")));

    assertEquals(new TargetsSpec.Eureka("orders"), config.primaryTargets());
    assertEquals(new TargetsSpec.Eureka("orders-shadow"), config.shadowTargets());
    assertEquals(0.5, config.tee().samplePercent());
  }

  @Test
  void bindsRoutesAndRejectsUnknownSinks() {
    SidecarConfig config = ConfigBinder.bind(withDefaults(Map.of(
        "shadowcar.primary.targets", "http://p:1",
        "shadowcar.routes.orders.path", "/orders/**",
        "shadowcar.routes.orders.methods", "post,put",
        "shadowcar.routes.orders.sample.percent", "10")));

    RouteRule route = config.tee().routes().get(0);
    assertEquals("orders", route.name());
    assertEquals(Set.of(HttpMethod.POST, HttpMethod.PUT), route.methods());
    assertEquals(10.0, route.samplePercent());

    List<String> problems = problems(Map.of("shadowcar.primary.targets", "http://p:1",
            "shadowcar.routes.orders.path", "/orders/**",
            "shadowcar.routes.orders.sinks", "http,kafak"));
    assertEquals(List.of("shadowcar.routes.orders.sinks: 'kafak' (expected: one of "
        + String.join(", ", io.shadowcar.sink.ShadowSinkProviders.tags()) + ")"), problems);
  }

  @Test
  void ordersRoutesByOrderThenName() {
    SidecarConfig config = ConfigBinder.bind(withDefaults(Map.of(
        "shadowcar.primary.targets", "http://p:1",
        "shadowcar.routes.all.path", "/**",
        "shadowcar.routes.b.path", "/b/**",
        "shadowcar.routes.orders.path", "/orders",
        "shadowcar.routes.orders.order", "1")));

    assertEquals(List.of("orders", "all", "b"), config.tee().routes().stream().map(RouteRule::name).toList());
  }

  @Test
  void reportsProblemsFoundByTheHealthModulesOwnBinder() {
    assertEquals(List.of(
        "shadowcar.health.passesBeforeReady: '-2' (expected: rounds 1-10000)",
        "shadowcar.checks.db.tcp: 'nohostport' (expected: host:port)"),
        problems(Map.of("shadowcar.primary.targets", "http://p:1",
            "shadowcar.checks.db.tcp", "nohostport",
            "shadowcar.health.passesBeforeReady", "-2")));
  }

  @Test
  void reportsARecordsRejectionOfTheEurekaAndTemplateModulesOnTheKeyToFix() {
    assertEquals(List.of(
        "shadowcar.eureka.lease.ms: '30000' (expected: milliseconds > heartbeat 30000)",
        "shadowcar.templates.app.source: missing (expected: a file path)"),
        problems(Map.of("shadowcar.primary.targets", "http://p:1",
            "shadowcar.eureka.lease.ms", "30000",
            "shadowcar.templates.app.target", "/etc/app/app.properties")));
  }

  @Test
  void bindsKafkaAndEurekaWhenConfigured() {
    SidecarConfig config = ConfigBinder.bind(withDefaults(Map.of(
        "shadowcar.primary.targets", "http://p:1",
        "shadowcar.shadow.kafka.bootstrap", "127.0.0.1:9092",
        "shadowcar.shadow.kafka.topic", "exchanges",
        "shadowcar.eureka.enabled", "true",
        "shadowcar.eureka.serviceUrl", "http://127.0.0.1:8761/eureka",
        "shadowcar.eureka.app", "orders",
        "shadowcar.eureka.instanceIp", "10.0.0.5",
        "shadowcar.eureka.instancePort", "8080")));

    assertEquals("exchanges", config.sinkConfig("kafka", KafkaShadowSinkConfig.class).orElseThrow().topic());
    assertTrue(config.tee().enabled(), "Kafka alone is a sink");
    assertEquals(Set.of("kafka"), config.tee().sinks());
    assertTrue(config.eureka().enabled());
    assertEquals(URI.create("http://10.0.0.5:7071/healthcheck"), config.eureka().healthCheckUrl(),
        "Eureka and balancers read the health port, which listens on every interface");
  }

  @Test
  void routesWithoutSinksCopyToEveryConfiguredSink() {
    SidecarConfig config = ConfigBinder.bind(withDefaults(Map.of(
        "shadowcar.primary.targets", "http://p:1",
        "shadowcar.shadow.targets", "http://s:2",
        "shadowcar.shadow.kafka.bootstrap", "127.0.0.1:9092",
        "shadowcar.shadow.kafka.topic", "exchanges",
        "shadowcar.routes.orders.path", "/orders/**",
        "shadowcar.routes.orders.sinks", "kafka")));

    assertEquals(Set.of("http", "kafka"), config.tee().sinks());
    assertEquals(Set.of("kafka"), config.tee().routes().get(0).sinks());
  }

  @Test
  void reportsABadSinkValueWhileThatSinkIsOff() {
    assertEquals(List.of("shadowcar.shadow.kafka.maxInflight: '0' (expected: integer 1-100000)"),
        problems(Map.of("shadowcar.primary.targets", "http://p:1", "shadowcar.shadow.kafka.maxInflight", "0")));
  }

  @Test
  void namesTheProducerOverrideTheKafkaSinkOwns() {
    assertEquals(List.of("shadowcar.shadow.kafka.producer.max.block.ms: '60000' (expected: not overridden: set by "
            + "the sink)"),
        problems(Map.of("shadowcar.primary.targets", "http://p:1",
            "shadowcar.shadow.kafka.bootstrap", "127.0.0.1:9092", "shadowcar.shadow.kafka.topic", "t",
            "shadowcar.shadow.kafka.producer.max.block.ms", "60000")));
  }

  @Test
  void requiresATopicWhenKafkaIsOn() {
    assertEquals(List.of("shadowcar.shadow.kafka.topic: '' (expected: a topic name when bootstrap is set)"),
        problems(Map.of("shadowcar.primary.targets", "http://p:1",
            "shadowcar.shadow.kafka.bootstrap", "127.0.0.1:9092")));
  }
}
