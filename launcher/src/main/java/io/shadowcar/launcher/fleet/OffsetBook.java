package io.shadowcar.launcher.fleet;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Which records of each partition are open: read but not yet done (result published, or skipped). A partition may be
 * committed up to its smallest open offset, never past it, so a record whose result was not published is read again
 * by whoever owns the partition next (at-least-once). Written by the polling thread and the producer's callback
 * thread; synchronized.
 */
final class OffsetBook {

  private final Map<TopicPartition, TreeSet<Long>> open = new HashMap<>();

  synchronized void read(ConsumerRecord<?, ?> record) {
    open.computeIfAbsent(partition(record), p -> new TreeSet<>()).add(record.offset());
  }

  synchronized void done(ConsumerRecord<?, ?> record) {
    TreeSet<Long> offsets = open.get(partition(record));
    if (offsets != null) {
      offsets.remove(record.offset());
    }
  }

  /**
   * For each partition with open records, the smallest: where its next owner must start. Partitions missing here have
   * everything read done (commit their position).
   */
  synchronized Map<TopicPartition, Long> firstOpen() {
    Map<TopicPartition, Long> first = new HashMap<>();
    open.forEach((partition, offsets) -> {
      if (!offsets.isEmpty()) {
        first.put(partition, offsets.first());
      }
    });
    return first;
  }

  /** Forgets partitions that went to another worker. */
  synchronized void forget(Collection<TopicPartition> partitions) {
    partitions.forEach(open::remove);
  }

  static TopicPartition partition(ConsumerRecord<?, ?> record) {
    return new TopicPartition(record.topic(), record.partition());
  }
}
