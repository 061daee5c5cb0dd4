package io.shadowcar.launcher.replay;

import io.shadowcar.launcher.replay.ReplayOptions.StartPosition;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The run's Kafka consumer: reads every partition of the topic from {@code --from}, either directly (no group, nothing
 * committed) or as a member of {@code --group} (committing what was replayed). Only the sending thread touches it;
 * {@link #wakeup()} is the one call safe from elsewhere.
 */
public final class ExchangeConsumer implements AutoCloseable {

  private static final Duration METADATA_WAIT = Duration.ofSeconds(15);
  /** Records one poll may return: what the sending thread holds at most besides the requests in flight. */
  static final int MAX_POLL_RECORDS = 500;

  private final KafkaConsumer<String, byte[]> consumer;
  private final String bootstrap;
  private final String topic;
  private final Optional<String> group;
  private final StartPosition from;
  private final Consumer<Collection<TopicPartition>> onRevoked;
  private final Set<TopicPartition> positioned = new HashSet<>();

  /** Thrown when the topic cannot be read (no broker answered, no such topic). */
  public static final class TopicUnavailableException extends Exception {
    TopicUnavailableException(String message) {
      super(message, null, false, false);
    }
  }

  ExchangeConsumer(ReplayOptions options) {
    this(options.bootstrap(), options.topic(), options.group(), options.from(), Map.of(), revoked -> { });
  }

  /**
   * A consumer of {@code topic}; {@code overrides} replace the defaults below (client id, session timeout, where a
   * group without committed offsets starts); {@code onRevoked} runs on the polling thread when the group takes
   * partitions away, before they move (the place to finish and commit their work).
   */
  public ExchangeConsumer(String bootstrap, String topic, Optional<String> group, StartPosition from,
      Map<String, Object> overrides, Consumer<Collection<TopicPartition>> onRevoked) {
    this.bootstrap = bootstrap;
    this.topic = topic;
    this.group = group;
    this.from = from;
    this.onRevoked = onRevoked;
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "shadowcar-replay");
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
        from.kind() == StartPosition.Kind.EARLIEST || from.kind() == StartPosition.Kind.OFFSET ? "earliest" : "latest");
    group.ifPresent(id -> config.put(ConsumerConfig.GROUP_ID_CONFIG, id));
    config.putAll(overrides);
    this.consumer = new KafkaConsumer<>(config);
  }

  /** Finds the topic and places the consumer at {@code --from}; with a group, joins it on the first poll. */
  public void start() throws TopicUnavailableException {
    List<PartitionInfo> partitions;
    try {
      partitions = consumer.partitionsFor(topic, METADATA_WAIT);
    } catch (RuntimeException e) {
      throw new TopicUnavailableException("cannot read topic " + topic + " at " + bootstrap + ": " + e.getMessage());
    }
    if (partitions == null || partitions.isEmpty()) {
      throw new TopicUnavailableException("no topic " + topic + " at " + bootstrap);
    }
    if (group.isPresent()) {
      consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
          // replay: what was replayed is committed at the end and after each batch; a revoked batch may be replayed
          // twice. A diff worker finishes and commits the revoked partitions' work here.
          onRevoked.accept(revoked);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
          // Already someone else's: nothing may be committed for them any more.
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
          position(assigned.stream().filter(positioned::add).toList());
        }
      });
    } else {
      List<TopicPartition> all = partitions.stream()
          .map(p -> new TopicPartition(p.topic(), p.partition()))
          .toList();
      consumer.assign(all);
      position(all);
    }
  }

  /** Polls for records; partitions paused by {@link #pauseAll()} return none (a poll that keeps membership alive). */
  public ConsumerRecords<String, byte[]> poll(Duration wait) {
    return consumer.poll(wait);
  }

  /** Stops fetching: the sending thread holds records it has not replayed yet. */
  public void pauseAll() {
    consumer.pause(consumer.assignment());
  }

  public void resumeAll() {
    consumer.resume(consumer.paused());
  }

  /** Fetches only from the assigned partitions not in {@code held} (those the sending thread still holds records of). */
  public void pauseOnly(Set<TopicPartition> held) {
    Set<TopicPartition> resume = new HashSet<>(consumer.paused());
    resume.removeAll(held);
    consumer.resume(resume);
    consumer.pause(consumer.assignment().stream().filter(held::contains).toList());
  }

  /** Assigned partitions with records left to read as of the last fetch, or not fetched yet. */
  public Set<TopicPartition> partitionsBehind() {
    Set<TopicPartition> behind = new HashSet<>();
    for (TopicPartition partition : consumer.assignment()) {
      OptionalLong lag = consumer.currentLag(partition);
      if (lag.isEmpty() || lag.getAsLong() > 0) {
        behind.add(partition);
      }
    }
    return behind;
  }

  /** Records behind the end of the assigned partitions, as of the last fetch; -1 when not known yet. */
  public long lag() {
    long lag = -1;
    for (TopicPartition partition : consumer.assignment()) {
      OptionalLong behind = consumer.currentLag(partition);
      if (behind.isPresent()) {
        lag = Math.max(0, lag) + behind.getAsLong();
      }
    }
    return lag;
  }

  /**
   * With a group, commits the given next offsets, and the current position of every other assigned partition (all it
   * returned was replayed or skipped). Without a group, does nothing.
   */
  public void commit(Map<TopicPartition, Long> pendingOffsets, boolean sync) {
    if (group.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition partition : consumer.assignment()) {
      long next = Optional.ofNullable(pendingOffsets.get(partition)).orElseGet(() -> consumer.position(partition));
      offsets.put(partition, new OffsetAndMetadata(next));
    }
    if (sync) {
      consumer.commitSync(offsets);
    } else {
      consumer.commitAsync(offsets, null);
    }
  }

  /** Makes a blocked {@link #poll} return at once (with a {@code WakeupException}); safe from any thread. */
  public void wakeup() {
    consumer.wakeup();
  }

  /** Partitions the consumer holds now. */
  public int assignedPartitions() {
    return consumer.assignment().size();
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }

  /** Closes within {@code timeout}; with a group, leaves it when the broker can be told in time. */
  public void close(Duration timeout) {
    consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(timeout));
  }

  private void position(List<TopicPartition> partitions) {
    if (partitions.isEmpty()) {
      return;
    }
    switch (from.kind()) {
      case EARLIEST -> consumer.seekToBeginning(partitions);
      case LATEST -> consumer.seekToEnd(partitions);
      case OFFSET -> partitions.forEach(p -> consumer.seek(p, from.value()));
      case TIMESTAMP -> {
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(p -> query.put(p, from.value()));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, METADATA_WAIT);
        List<TopicPartition> none = partitions.stream().filter(p -> found.get(p) == null).toList();
        found.forEach((p, at) -> {
          if (at != null) {
            consumer.seek(p, at.offset());
          }
        });
        consumer.seekToEnd(none);
      }
      case COMMITTED -> { }
    }
    // Resolve lazy seeks now, so "latest" is the end at the start of the run, not at the first fetch.
    partitions.forEach(consumer::position);
  }
}
