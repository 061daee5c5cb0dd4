package io.shadowcar.launcher.replay;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * Records read but not replayed yet, one queue per partition in offset order. In time order the next record is the
 * earliest head of all queues: a poll may return one partition's backlog alone (Kafka hands out up to one poll's
 * worth of a partition before the next), and replaying that first would send the other partitions' older records
 * late, all at once. Otherwise the next record is any queue's head. Touched by the sending thread only.
 */
final class PendingRecords {

  private final boolean inTimeOrder;
  private final Map<TopicPartition, ArrayDeque<ConsumerRecord<String, byte[]>>> queues = new HashMap<>();

  PendingRecords(boolean inTimeOrder) {
    this.inTimeOrder = inTimeOrder;
  }

  void addAll(ConsumerRecords<String, byte[]> records) {
    for (ConsumerRecord<String, byte[]> record : records) {
      queues.computeIfAbsent(new TopicPartition(record.topic(), record.partition()), p -> new ArrayDeque<>())
          .add(record);
    }
  }

  boolean isEmpty() {
    return queues.isEmpty();
  }

  int size() {
    return queues.values().stream().mapToInt(ArrayDeque::size).sum();
  }

  /** Partitions with records waiting: the ones not to fetch from now. */
  Set<TopicPartition> partitions() {
    return queues.keySet();
  }

  /** Removes and returns the next record to replay; null when none is waiting. */
  ConsumerRecord<String, byte[]> next() {
    TopicPartition from = null;
    long earliest = Long.MAX_VALUE;
    for (Map.Entry<TopicPartition, ArrayDeque<ConsumerRecord<String, byte[]>>> queue : queues.entrySet()) {
      long timestamp = queue.getValue().peek().timestamp();
      if (from == null || timestamp < earliest) {
        from = queue.getKey();
        earliest = timestamp;
      }
      if (!inTimeOrder) {
        break;
      }
    }
    if (from == null) {
      return null;
    }
    ArrayDeque<ConsumerRecord<String, byte[]>> queue = queues.get(from);
    ConsumerRecord<String, byte[]> record = queue.poll();
    if (queue.isEmpty()) {
      queues.remove(from);
    }
    return record;
  }

  /** For each partition with records waiting, the first one's offset: where a group must resume. */
  Map<TopicPartition, Long> offsets() {
    Map<TopicPartition, Long> offsets = new HashMap<>();
    queues.forEach((partition, queue) -> offsets.put(partition, queue.peek().offset()));
    return offsets;
  }
}
