package io.shadowcar.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shadowcar.testkit.backend.RecordingBackend;
import io.shadowcar.testkit.kafka.KafkaBrokerExtension;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The real jar with only a Kafka sink: each copied exchange lands on the topic, keyed by its request id. */
class KafkaThroughJarIT extends JarTestSupport {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private final RecordingBackend primary = backend(RecordingBackend.Responder.ok());

  @Test
  void publishesCopiedExchangesToTheTopic() throws Exception {
    String topic = "launcher-exchanges";
    KAFKA.createTopic(topic, 1);
    Path config = config(
        "shadowcar.primary.targets=" + primary.uri(),
        "shadowcar.shadow.kafka.bootstrap=" + KAFKA.bootstrapServers(),
        "shadowcar.shadow.kafka.topic=" + topic);
    try (SidecarProcess sidecar = launch(config)) {
      String proxy = "http://127.0.0.1:" + sidecar.proxyPort();

      // the producer starts in the background; copies made before it is up are dropped (sink_down), so keep asking
      List<ConsumerRecord<String, byte[]>> records = await().atMost(Duration.ofSeconds(120)).until(() -> {
        HttpResponse<String> answer = SidecarProcess.get(proxy + "/orders/7");
        assertEquals(200, answer.statusCode());
        try {
          return KAFKA.readRecords(topic, 1, Duration.ofSeconds(2));
        } catch (AssertionError notYet) {
          return List.<ConsumerRecord<String, byte[]>>of();
        }
      }, list -> !list.isEmpty());
      String key = records.get(0).key();
      assertTrue(primary.requests().stream().anyMatch(r -> key.equals(r.headers().get("X-Request-Id"))), key);
      String value = new String(records.get(0).value(), StandardCharsets.UTF_8);
      assertTrue(value.contains("/orders/7"), value);
    }
  }
}
