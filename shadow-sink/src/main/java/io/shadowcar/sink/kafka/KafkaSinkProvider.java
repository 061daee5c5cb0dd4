package io.shadowcar.sink.kafka;

import static io.shadowcar.sink.kafka.KafkaSinkSettings.*;

import io.shadowcar.common.config.ConfigView;
import io.shadowcar.common.config.Setting;
import io.shadowcar.sink.ShadowSink;
import io.shadowcar.sink.ShadowSinkProvider;
import io.shadowcar.sink.SinkContext;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code kafka} sink: configured by {@code shadowcar.shadow.kafka.bootstrap}. */
public final class KafkaSinkProvider implements ShadowSinkProvider<KafkaShadowSinkConfig> {

  public static final String TAG = "kafka";

  private static final Map<String, String> FIELDS = Map.of(
      "topic", TOPIC.key(),
      "acks", ACKS.key(),
      "linger", LINGER.key(),
      "compression", COMPRESSION.key(),
      "bufferMemoryBytes", BUFFER_MEMORY_BYTES.key(),
      "maxRequestBytes", MAX_REQUEST_BYTES.key(),
      "maxInflight", MAX_INFLIGHT.key(),
      "primaryWait", PRIMARY_WAIT.key(),
      "closeTimeout", CLOSE_TIMEOUT.key());

  @Override
  public String tag() {
    return TAG;
  }

  @Override
  public List<Setting<?>> settings() {
    return KafkaSinkSettings.all();
  }

  @Override
  public Optional<KafkaShadowSinkConfig> bind(ConfigView in) {
    // Every value is read, so a bad one is reported even while the sink is off.
    String bootstrap = in.get(BOOTSTRAP);
    String topic = in.get(TOPIC);
    String acks = in.get(ACKS);
    Duration linger = in.get(LINGER);
    String compression = in.get(COMPRESSION);
    long buffer = in.get(BUFFER_MEMORY_BYTES);
    int maxRequest = in.get(MAX_REQUEST_BYTES);
    int inflight = in.get(MAX_INFLIGHT);
    Duration primaryWait = in.get(PRIMARY_WAIT);
    Duration close = in.get(CLOSE_TIMEOUT);
    Map<String, String> overrides = in.subKeys(PRODUCER);
    if (!in.isSet(BOOTSTRAP)) {
      return Optional.empty();
    }
    // A rejected override is named by its own key, shadowcar.shadow.kafka.producer.<name>.
    Map<String, String> fields = new HashMap<>(FIELDS);
    String producerPrefix = PRODUCER.key().substring(0, PRODUCER.key().length() - 1);
    overrides.keySet().forEach(name -> fields.put("producer." + name, producerPrefix + name));
    return Optional.ofNullable(in.build(() -> new KafkaShadowSinkConfig(bootstrap, topic, acks, linger, compression,
        buffer, maxRequest, inflight, primaryWait, close, overrides), fields, BOOTSTRAP.key()));
  }

  @Override
  public ShadowSink create(KafkaShadowSinkConfig config, SinkContext context) {
    return new KafkaShadowSink(config, context);
  }
}
