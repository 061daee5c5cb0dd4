package io.shadowcar.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shadowcar.testkit.backend.RecordingBackend;
import io.shadowcar.testkit.kafka.KafkaBrokerExtension;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The real jar with only a Kafka sink: each copied exchange lands on the topic, keyed by its request id. */
class KafkaThroughJarIT extends JarTestSupport {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private final RecordingBackend primary = backend(RecordingBackend.Responder.ok());

  private Path kafkaSinkConfig(String topic) throws Exception {
    KAFKA.createTopic(topic, 1);
    return config(
        "shadowcar.primary.targets=" + primary.uri(),
        "shadowcar.shadow.kafka.bootstrap=" + KAFKA.bootstrapServers(),
        "shadowcar.shadow.kafka.topic=" + topic);
  }

  /** Sends requests until a copy is on {@code topic}; returns the records read. */
  private static List<ConsumerRecord<String, byte[]>> awaitCopies(SidecarProcess sidecar, String topic) {
    String proxy = "http://127.0.0.1:" + sidecar.proxyPort();
    // the producer starts in the background; copies made before it is up are dropped (sink_down), so keep asking
    return await().atMost(Duration.ofSeconds(120)).until(() -> {
      HttpResponse<String> answer = SidecarProcess.get(proxy + "/orders/7");
      assertEquals(200, answer.statusCode());
      try {
        return KAFKA.readRecords(topic, 1, Duration.ofSeconds(2));
      } catch (AssertionError notYet) {
        return List.<ConsumerRecord<String, byte[]>>of();
      }
    }, list -> !list.isEmpty());
  }

  private static List<Path> lz4Copies(Path tmpdir) throws Exception {
    try (var files = Files.list(tmpdir)) {
      return files.filter(file -> file.getFileName().toString().startsWith("liblz4-java-")).sorted().toList();
    }
  }

  @Test
  void publishesCopiedExchangesToTheTopic() throws Exception {
    String topic = "launcher-exchanges";
    Path config = kafkaSinkConfig(topic);
    try (SidecarProcess sidecar = launch(config)) {
      List<ConsumerRecord<String, byte[]>> records = awaitCopies(sidecar, topic);
      String key = records.get(0).key();
      assertTrue(primary.requests().stream().anyMatch(r -> key.equals(r.headers().get("X-Request-Id"))), key);
      String value = new String(records.get(0).value(), StandardCharsets.UTF_8);
      assertTrue(value.contains("/orders/7"), value);
    }
  }

  @Test
  void theLz4LibraryAKilledSidecarLeftIsRemovedByTheNextStart() throws Exception {
    String topic = "launcher-killed";
    Path config = kafkaSinkConfig(topic);
    Path tmpdir;
    List<Path> left;
    try (SidecarProcess killed = launch(config)) {
      awaitCopies(killed, topic); // the sink's lz4 codec compressed a batch: its library is loaded
      killed.kill();
      tmpdir = killed.tmpdir();
      left = lz4Copies(tmpdir);
      assertEquals(2, left.size(), "lz4-java's library and lock file after SIGKILL: " + left);
    }
    // as a restart a minute later finds them (younger copies may still be being written by a starting process)
    for (Path file : left) {
      Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofMinutes(5))));
    }

    // a topic of its own: the first one holds the killed sidecar's copies already
    String restartTopic = "launcher-restarted";
    Path restartConfig = kafkaSinkConfig(restartTopic);
    try (SidecarProcess restarted = SidecarProcess.launchWithTmpdir(dir, tmpdir, List.of(), "--config",
        restartConfig.toString())) {
      restarted.awaitOutput("removed 2 native libraries");
      awaitCopies(restarted, restartTopic);
      List<Path> own = lz4Copies(tmpdir);
      assertEquals(2, own.size(), "the restarted sidecar's own copy: " + own);
      assertTrue(own.stream().noneMatch(left::contains), "the killed sidecar's copy is still there: " + own);
      restarted.stopCleanly();
    }
  }
}
