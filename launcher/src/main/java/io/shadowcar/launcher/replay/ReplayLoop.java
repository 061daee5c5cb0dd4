package io.shadowcar.launcher.replay;

import io.shadowcar.sink.kafka.BadRecordException;
import io.shadowcar.sink.kafka.ExchangeRecordReader;
import io.shadowcar.sink.kafka.RecordedExchange;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sending thread's loop: poll a batch, pause the partitions, then for each record decode, select, wait until the
 * pacer says it is due and until the sender has room, and send; resume when the batch is done. Memory is bounded by
 * one poll ({@value ExchangeConsumer#MAX_POLL_RECORDS} records) plus the requests in flight. While it waits it still
 * polls now and then (partitions paused, nothing returned) so a group keeps it as a member.
 *
 * <p>Stops at {@code --count} requests replayed, at {@code --duration}, or on {@link #stop()}.
 */
final class ReplayLoop {

  private static final Logger LOG = LoggerFactory.getLogger(ReplayLoop.class);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final long TICK_NANOS = 100_000_000L;
  private static final long KEEP_ALIVE_NANOS = 1_000_000_000L;

  private final ExchangeConsumer consumer;
  private final ReplaySelection selection;
  private final Pacer pacer;
  private final RequestSender sender;
  private final ReplayStats stats;
  private final long count;
  private final Duration duration;
  private final boolean sortByTime;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final Set<SkipReason> logged = EnumSet.noneOf(SkipReason.class);
  private final ArrayDeque<ConsumerRecord<String, byte[]>> batch = new ArrayDeque<>();
  private long lastPollNanos;
  /** Records were polled since the last commit (with a group). */
  private boolean uncommitted;

  ReplayLoop(ExchangeConsumer consumer, ReplayOptions options, RequestSender sender, ReplayStats stats) {
    this.consumer = consumer;
    this.selection = new ReplaySelection(options);
    this.pacer = Pacer.of(options.pacing());
    this.sender = sender;
    this.stats = stats;
    this.count = options.count();
    this.duration = options.duration();
    this.sortByTime = options.pacing().mode() == ReplayOptions.Pacing.Mode.RECORDED;
  }

  /** Asks the loop to end soon (within a tick); safe from any thread, e.g. a shutdown hook. */
  void stop() {
    stopping.set(true);
    consumer.wakeup();
  }

  /** Runs until a limit or {@link #stop()}; returns the next offsets of partitions with records left unreplayed. */
  Map<TopicPartition, Long> run() throws InterruptedException {
    long start = System.nanoTime();
    long deadline = duration.isZero() ? Long.MAX_VALUE : start + duration.toNanos();
    long replayed = 0;
    RecordedExchange head = null;
    long headDue = 0;
    while (!stopping.get() && (count == 0 || replayed < count)) {
      long now = System.nanoTime();
      if (now - deadline >= 0) {
        break;
      }
      if (batch.isEmpty()) {
        if (uncommitted) {
          consumer.commit(Map.of(), false);
          uncommitted = false;
        }
        consumer.resumeAll();
        poll(POLL);
        continue;
      }
      if (head == null) {
        head = decodeAndSelect(batch.peek());
        if (head == null) {
          batch.poll();
          continue;
        }
        headDue = pacer.dueNanos(head.timestamp(), now);
      }
      long wait = Math.min(headDue, deadline) - now;
      if (wait > 0) {
        keepAlive(now);
        LockSupport.parkNanos(Math.min(wait, TICK_NANOS));
        continue;
      }
      if (!sender.tryAcquire(Duration.ofNanos(TICK_NANOS))) {
        keepAlive(System.nanoTime());
        continue;
      }
      stats.sending(System.nanoTime());
      sender.send(head);
      replayed++;
      batch.poll();
      head = null;
    }
    return pendingOffsets();
  }

  private RecordedExchange decodeAndSelect(ConsumerRecord<String, byte[]> record) {
    RecordedExchange exchange;
    try {
      exchange = ExchangeRecordReader.read(record);
    } catch (BadRecordException e) {
      skip(SkipReason.of(e.reason()), record, e.getMessage());
      return null;
    }
    Optional<SkipReason> skip = selection.skip(exchange);
    if (skip.isPresent()) {
      stats.skipped(skip.get());
      return null;
    }
    return exchange;
  }

  private void skip(SkipReason reason, ConsumerRecord<String, byte[]> record, String detail) {
    stats.skipped(reason);
    if (logged.add(reason)) {
      LOG.warn("skipping record {}-{}@{} ({}); further records skipped for this reason are only counted",
          record.topic(), record.partition(), record.offset(), detail);
    }
  }

  private void keepAlive(long now) {
    if (now - lastPollNanos >= KEEP_ALIVE_NANOS) {
      poll(Duration.ZERO);
    }
  }

  private void poll(Duration wait) {
    lastPollNanos = System.nanoTime();
    ConsumerRecords<String, byte[]> records;
    try {
      records = consumer.poll(wait);
    } catch (WakeupException e) {
      return; // stop() was called; the loop's condition ends it
    }
    if (!records.isEmpty()) {
      List<ConsumerRecord<String, byte[]>> polled = new ArrayList<>(records.count());
      records.forEach(polled::add);
      if (sortByTime) {
        polled.sort(Comparator.comparingLong(ConsumerRecord::timestamp));
      }
      batch.addAll(polled);
      consumer.pauseAll();
      uncommitted = true;
    }
    stats.lag(consumer.lag() < 0 ? -1 : consumer.lag() + batch.size());
  }

  /** For each partition with records not replayed yet, the smallest such offset: where a group must resume. */
  private Map<TopicPartition, Long> pendingOffsets() {
    Map<TopicPartition, Long> pending = new HashMap<>();
    for (ConsumerRecord<String, byte[]> record : batch) {
      pending.merge(new TopicPartition(record.topic(), record.partition()), record.offset(), Math::min);
    }
    return pending;
  }
}
