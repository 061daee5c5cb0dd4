package io.shadowcar.launcher.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class PendingRecordsTest {

  private static final TopicPartition P0 = new TopicPartition("t", 0);
  private static final TopicPartition P1 = new TopicPartition("t", 1);

  @Test
  void inTimeOrderMergesPartitionsPolledApartByTimestamp() {
    PendingRecords pending = new PendingRecords(true);
    // One poll brought partition 0's backlog alone, the next partition 1's, covering the same time.
    pending.addAll(records(P0, 0, 0L, 20L, 40L));
    pending.addAll(records(P1, 7, 10L, 30L));

    assertEquals(List.of("t-0@0", "t-1@7", "t-0@1", "t-1@8", "t-0@2"), drain(pending));
  }

  @Test
  void keepsEachPartitionsOffsetOrderWhateverTheTimestamps() {
    PendingRecords pending = new PendingRecords(true);
    pending.addAll(records(P0, 0, 50L, 10L));

    assertEquals(List.of("t-0@0", "t-0@1"), drain(pending));
  }

  @Test
  void atAFixedRateTakesOnePartitionAfterTheOther() {
    PendingRecords pending = new PendingRecords(false);
    pending.addAll(records(P0, 0, 40L, 50L));
    pending.addAll(records(P1, 0, 10L));

    List<String> order = drain(pending);
    assertTrue(order.equals(List.of("t-0@0", "t-0@1", "t-1@0")) || order.equals(List.of("t-1@0", "t-0@0", "t-0@1")),
        order.toString());
  }

  @Test
  void offsetsAreWhereEachPartitionWithRecordsLeftMustResume() {
    PendingRecords pending = new PendingRecords(true);
    pending.addAll(records(P0, 5, 0L, 20L));
    pending.addAll(records(P1, 9, 10L));
    pending.next();
    pending.next();

    assertEquals(Map.of(P0, 6L), pending.offsets());
    assertEquals(1, pending.size());
    pending.next();
    assertTrue(pending.isEmpty());
    assertEquals(Map.of(), pending.offsets());
    assertNull(pending.next());
  }

  private static List<String> drain(PendingRecords pending) {
    List<String> order = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> r = pending.next(); r != null; r = pending.next()) {
      order.add(r.topic() + "-" + r.partition() + "@" + r.offset());
    }
    return order;
  }

  private static ConsumerRecords<String, byte[]> records(TopicPartition partition, long firstOffset,
      long... timestamps) {
    List<ConsumerRecord<String, byte[]>> list = new ArrayList<>();
    for (int i = 0; i < timestamps.length; i++) {
      list.add(new ConsumerRecord<>(partition.topic(), partition.partition(), firstOffset + i, timestamps[i],
          TimestampType.CREATE_TIME, 0, 0, null, new byte[0], new RecordHeaders(), Optional.empty()));
    }
    return new ConsumerRecords<>(Map.of(partition, list), Map.of());
  }
}
