package io.shadowcar.launcher.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetBookTest {

  private static final TopicPartition P0 = new TopicPartition("t", 0);
  private static final TopicPartition P1 = new TopicPartition("t", 1);

  @Test
  void commitsNeverPassARecordWhoseResultIsNotPublished() {
    OffsetBook book = new OffsetBook();
    List<ConsumerRecord<String, String>> p0 = List.of(record(0, 10), record(0, 11), record(0, 12));
    p0.forEach(book::read);
    book.read(record(1, 5));

    book.done(p0.get(0));
    book.done(p0.get(2)); // finished out of order: 11 is still open
    book.done(record(1, 5));

    assertEquals(Map.of(P0, 11L), book.firstOpen());
    book.done(p0.get(1));
    assertEquals(Map.of(), book.firstOpen());
  }

  @Test
  void forgetsPartitionsThatMovedToAnotherWorker() {
    OffsetBook book = new OffsetBook();
    book.read(record(0, 1));
    book.read(record(1, 2));

    book.forget(List.of(P0));

    assertEquals(Map.of(P1, 2L), book.firstOpen());
  }

  private static ConsumerRecord<String, String> record(int partition, long offset) {
    return new ConsumerRecord<>("t", partition, offset, "k", "v");
  }
}
