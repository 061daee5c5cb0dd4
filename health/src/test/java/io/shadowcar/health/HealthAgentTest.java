package io.shadowcar.health;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shadowcar.health.check.CheckDefinition;
import io.shadowcar.health.check.CheckTarget;
import io.shadowcar.health.check.Thresholds;
import io.shadowcar.testkit.SidecarTransport;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthAgentTest {

  @TempDir Path dir;
  private Vertx vertx;
  private HealthAgent agent;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @BeforeEach
  void startVertx() {
    vertx = SidecarTransport.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    if (agent != null) {
      agent.stop();
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  static CheckDefinition ttl(String name, Thresholds thresholds) {
    return CheckDefinition.of(name, new CheckTarget.Ttl(Duration.ofMinutes(5)), thresholds);
  }

  private HealthAgent start(HealthConfig config) {
    agent = new HealthAgent(vertx, config, registry);
    agent.start();
    return agent;
  }

  @Test
  void withNoChecksIsReadyAndPassingAtStart() {
    start(HealthConfig.defaults());
    assertEquals(new HealthSnapshot(true, CheckStatus.PASSING, false, agent.current().at()), agent.current());
    assertEquals(InstanceStatus.UP, agent.current().instanceStatus());
  }

  @Test
  void startsCriticalAndNotReadyAndBecomesReadyOnlyAfterThePassStreak() {
    start(HealthConfig.defaults().withChecks(List.of(ttl("app", Thresholds.defaults()))));
    assertFalse(agent.current().ready());
    assertEquals(CheckStatus.CRITICAL, agent.current().aggregate());
    assertEquals(InstanceStatus.STARTING, agent.current().instanceStatus());
    agent.updateTtl("app", CheckStatus.PASSING, "one");
    agent.updateTtl("app", CheckStatus.PASSING, "two");
    assertFalse(agent.current().ready());
    assertEquals("two", agent.checks().get(0).output());
    agent.updateTtl("app", CheckStatus.PASSING, "three");
    assertTrue(agent.current().ready());
    assertEquals(InstanceStatus.UP, agent.current().instanceStatus());
  }

  @Test
  void warningCountsTowardThePassStreak() {
    start(HealthConfig.defaults().withChecks(List.of(ttl("app", Thresholds.defaults()))));
    agent.updateTtl("app", CheckStatus.WARNING, "");
    agent.updateTtl("app", CheckStatus.WARNING, "");
    agent.updateTtl("app", CheckStatus.WARNING, "");
    assertTrue(agent.current().ready());
    assertEquals(CheckStatus.WARNING, agent.current().aggregate());
    assertEquals(InstanceStatus.UP, agent.current().instanceStatus());
  }

  @Test
  void aggregateIsTheWorstCheckAndReadyStaysWhenCritical() {
    Thresholds quick = new Thresholds(1, 1, 2);
    start(HealthConfig.defaults().withChecks(List.of(ttl("a", quick), ttl("b", quick))));
    agent.updateTtl("a", CheckStatus.PASSING, "");
    assertFalse(agent.current().ready(), "b has no result yet");
    agent.updateTtl("b", CheckStatus.PASSING, "");
    assertEquals(CheckStatus.PASSING, agent.current().aggregate());
    agent.updateTtl("b", CheckStatus.CRITICAL, "first failure");
    assertEquals(CheckStatus.WARNING, agent.current().aggregate());
    agent.updateTtl("b", CheckStatus.CRITICAL, "second failure");
    assertEquals(CheckStatus.CRITICAL, agent.current().aggregate());
    assertTrue(agent.current().ready());
    assertEquals(InstanceStatus.DOWN, agent.current().instanceStatus());
    assertEquals(2.0, registry.get(HealthMetrics.STATUS).gauge().value());
    assertEquals(2.0, registry.get(HealthMetrics.CHECK_STATUS).tag("check", "b").gauge().value());
    assertEquals(0.0, registry.get(HealthMetrics.CHECK_STATUS).tag("check", "a").gauge().value());
    assertEquals(1.0, registry.get(HealthMetrics.READY).gauge().value());
  }

  @Test
  void aMissedTtlGoesCriticalAtOnce() {
    CheckDefinition heartbeat = CheckDefinition.of("heartbeat", new CheckTarget.Ttl(Duration.ofSeconds(1)),
        new Thresholds(1, 3, 3));
    start(HealthConfig.defaults().withChecks(List.of(heartbeat)));
    agent.updateTtl("heartbeat", CheckStatus.PASSING, "alive");
    assertEquals(CheckStatus.PASSING, agent.current().aggregate());
    await().atMost(Duration.ofSeconds(10)).until(() -> agent.current().aggregate() == CheckStatus.CRITICAL);
    assertTrue(agent.checks().get(0).output().startsWith("TTL expired"), agent.checks().get(0).output());
  }

  @Test
  void runsChecksAtTheStartupIntervalUntilReadyNotAtTheirOwnInterval() throws Exception {
    try (ServerSocket service = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      CheckDefinition port = new CheckDefinition("port", new CheckTarget.Tcp("127.0.0.1", service.getLocalPort()),
          Duration.ofSeconds(10), Duration.ofSeconds(5), Thresholds.defaults());
      start(HealthConfig.defaults().withChecks(List.of(port)));

      // Three passes 1 s apart make it ready in about 3 s; at the check's own 10 s interval it would take 20 s or more.
      await().atMost(Duration.ofSeconds(8)).until(() -> agent.current().ready());
    }
  }

  @Test
  void ttlPushesReachOnlyTtlChecks() {
    CheckDefinition tcp = CheckDefinition.of("tcp", new CheckTarget.Tcp("127.0.0.1", 9), Thresholds.defaults());
    start(HealthConfig.defaults().withChecks(List.of(tcp)));
    assertEquals(TtlUpdate.UNKNOWN_CHECK, agent.updateTtl("nope", CheckStatus.PASSING, ""));
    assertEquals(TtlUpdate.NOT_A_TTL_CHECK, agent.updateTtl("tcp", CheckStatus.PASSING, ""));
  }

  @Test
  void killSwitchFileAndOperatorEachTakeTheInstanceOutOfService() throws Exception {
    Path killSwitch = dir.resolve("down");
    HealthConfig config = new HealthConfig(Thresholds.defaults(), Optional.of(killSwitch), Duration.ofMillis(50),
        Duration.ofSeconds(1), 429, List.of());
    start(config);
    List<HealthSnapshot> seen = new CopyOnWriteArrayList<>();
    agent.addListener((previous, current) -> seen.add(current));
    assertEquals(InstanceStatus.UP, agent.current().instanceStatus());

    Files.createFile(killSwitch);
    await().atMost(Duration.ofSeconds(5)).until(() -> agent.current().outOfService());
    assertEquals(InstanceStatus.OUT_OF_SERVICE, agent.current().instanceStatus());
    agent.setOperatorOutOfService(true);
    assertEquals(Set.of(OutOfServiceReason.KILL_SWITCH_FILE, OutOfServiceReason.OPERATOR),
        agent.outOfServiceReasons());

    Files.delete(killSwitch);
    await().atMost(Duration.ofSeconds(5))
        .until(() -> agent.outOfServiceReasons().equals(Set.of(OutOfServiceReason.OPERATOR)));
    assertTrue(agent.current().outOfService(), "the operator's switch still holds it out");
    agent.setOperatorOutOfService(false);
    assertEquals(InstanceStatus.UP, agent.current().instanceStatus());
    await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 2);
    assertTrue(seen.get(0).outOfService());
    assertFalse(seen.get(1).outOfService());
  }

  @Test
  void aRealScriptCheckMakesTheInstanceReadyOnlyAfterItsPassStreak() {
    CheckDefinition script = new CheckDefinition("true", new CheckTarget.Shell("echo fine"), Duration.ofSeconds(1),
        Duration.ofSeconds(10), new Thresholds(2, 1, 1));
    List<Long> runsWhenReady = new CopyOnWriteArrayList<>();
    agent = new HealthAgent(vertx, HealthConfig.defaults().withChecks(List.of(script)), registry);
    agent.addListener((previous, current) -> {
      if (current.ready() && !previous.ready()) {
        runsWhenReady.add(agent.checks().get(0).runs());
      }
    });
    agent.start();
    await().atMost(Duration.ofSeconds(15)).until(() -> !runsWhenReady.isEmpty());
    assertTrue(runsWhenReady.get(0) >= 2, "ready after " + runsWhenReady.get(0) + " runs");
    assertEquals("fine\n", agent.checks().get(0).output());
    assertTrue(registry.get(HealthMetrics.CHECK_DURATION).tag("check", "true").timer().count() >= 2);
  }

  @Test
  void aHungScriptDoesNotStallOtherChecks() {
    CheckDefinition hung = new CheckDefinition("hung", new CheckTarget.Shell("exec sleep 60"),
        Duration.ofSeconds(1), Duration.ofSeconds(60), Thresholds.defaults());
    CheckDefinition noisy = new CheckDefinition("noisy", new CheckTarget.Shell("yes | head -c 1000000"),
        Duration.ofSeconds(1), Duration.ofSeconds(60), Thresholds.defaults());
    CheckDefinition quick = new CheckDefinition("quick", new CheckTarget.Shell("echo ok"), Duration.ofSeconds(1),
        Duration.ofSeconds(10), Thresholds.defaults());
    start(HealthConfig.defaults().withChecks(List.of(hung, noisy, quick)));
    await().atMost(Duration.ofSeconds(20)).until(() -> agent.checks().get(2).runs() >= 3);
    assertEquals(0, agent.checks().get(0).runs(), "the hung script is still in its first run");
    assertTrue(agent.checks().get(1).output().startsWith("Captured 4096 of 1000000 bytes"));
    assertEquals(CheckStatus.PASSING, agent.checks().get(2).status());
  }

  @Test
  void aKillSwitchFilePresentAtStartIsOutOfServiceFromTheFirstSnapshot() throws Exception {
    Path killSwitch = Files.createFile(dir.resolve("down"));
    List<HealthSnapshot> seen = new CopyOnWriteArrayList<>();
    agent = new HealthAgent(vertx, HealthConfig.defaults().withKillSwitchFile(killSwitch), registry);
    agent.addListener((previous, current) -> seen.add(current));
    agent.start();
    assertEquals(InstanceStatus.OUT_OF_SERVICE, agent.current().instanceStatus());
    await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 1);
    assertTrue(seen.get(0).ready() && seen.get(0).outOfService(), "never published as in service: " + seen);
  }

  @Test
  void httpAndTcpChecksAgainstRealServersMakeTheInstanceReady() throws Exception {
    var server = vertx.createHttpServer().requestHandler(request -> request.response().end("up"))
        .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    Thresholds once = new Thresholds(1, 1, 1);
    CheckDefinition web = new CheckDefinition("web", new CheckTarget.Http(
        java.net.URI.create("http://127.0.0.1:" + server.actualPort() + "/health")), Duration.ofSeconds(1),
        Duration.ofSeconds(5), once);
    CheckDefinition port = new CheckDefinition("port", new CheckTarget.Tcp("127.0.0.1", server.actualPort()),
        Duration.ofSeconds(1), Duration.ofSeconds(5), once);
    start(HealthConfig.defaults().withChecks(List.of(web, port)));
    await().atMost(Duration.ofSeconds(10)).until(() -> agent.current().ready());
    assertEquals(CheckStatus.PASSING, agent.current().aggregate());
    assertTrue(agent.checks().get(0).output().endsWith("200 OK Output: up"), agent.checks().get(0).output());
  }
}
