package io.shadowcar.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shadowcar.testkit.backend.RecordingBackend;
import io.shadowcar.testkit.kafka.KafkaBrokerExtension;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The real jar with only a Kafka sink: each copied exchange lands on the topic, keyed by its request id. */
class KafkaThroughJarIT {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @TempDir Path dir;
  private final Vertx vertx = Vertx.vertx();
  private final RecordingBackend primary = RecordingBackend.start(vertx, RecordingBackend.Responder.ok());

  @AfterEach
  void close() {
    primary.close();
    vertx.close().await();
  }

  @Test
  void publishesCopiedExchangesToTheTopic() throws Exception {
    String topic = "launcher-exchanges";
    KAFKA.createTopic(topic, 1);
    Path config = Files.writeString(dir.resolve("sidecar.properties"), String.join("\n",
        "shadowcar.primary.targets=" + primary.uri(),
        "shadowcar.proxy.host=127.0.0.1",
        "shadowcar.proxy.port=0",
        "shadowcar.admin.port=0",
        "shadowcar.shadow.kafka.bootstrap=" + KAFKA.bootstrapServers(),
        "shadowcar.shadow.kafka.topic=" + topic, ""));
    try (SidecarProcess sidecar = SidecarProcess.launch(dir, List.of(), "--config", config.toString())) {
      String proxy = "http://127.0.0.1:" + sidecar.proxyPort();

      HttpResponse<String> answer = SidecarProcess.get(proxy + "/orders/7");
      assertEquals(200, answer.statusCode());

      List<ConsumerRecord<String, byte[]>> records = KAFKA.readRecords(topic, 1, Duration.ofSeconds(60));
      assertEquals(primary.single().headers().get("X-Request-Id"), records.get(0).key());
      String value = new String(records.get(0).value(), StandardCharsets.UTF_8);
      assertTrue(value.contains("/orders/7"), value);
    }
  }
}
