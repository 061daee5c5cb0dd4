package io.shadowcar.launcher.replay;

import io.shadowcar.sink.kafka.BadRecordException;
import io.shadowcar.sink.kafka.ExchangeRecordReader;
import io.shadowcar.sink.kafka.RecordedExchange;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
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
 * The sending thread's loop: take the next pending record, decode, select, wait until the pacer says it is due and
 * until the sender has room, and send. A partition is fetched from only while none of its records are pending.
 *
 * <p>At a fixed rate the order does not matter: the loop polls when nothing is pending, so memory is bounded by one
 * poll ({@value ExchangeConsumer#MAX_POLL_RECORDS} records) plus the requests in flight. At the recorded pace the
 * partitions are merged by timestamp: before it takes the next record the loop polls until every partition still
 * behind the end of the topic has a pending record (one poll that returns nothing ends the wait, so a stuck partition
 * cannot stop the replay); memory is then bounded by one poll per partition. While it waits for the pacer it still
 * polls now and then, so a group keeps it as a member.
 *
 * <p>Stops at {@code --count} requests replayed, at {@code --duration}, or on {@link #stop()}.
 */
final class ReplayLoop {

  private static final Logger LOG = LoggerFactory.getLogger(ReplayLoop.class);
  private static final Duration POLL = Duration.ofMillis(100);
  /** How long a partition behind may take to return its next records before the others' go on without it. */
  private static final Duration BEHIND_WAIT = Duration.ofMillis(500);
  private static final long TICK_NANOS = 100_000_000L;
  private static final long KEEP_ALIVE_NANOS = 1_000_000_000L;

  private final ExchangeConsumer consumer;
  private final ReplaySelection selection;
  private final Pacer pacer;
  private final RequestSender sender;
  private final ReplayStats stats;
  private final long count;
  private final Duration duration;
  private final boolean inTimeOrder;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final Set<SkipReason> logged = EnumSet.noneOf(SkipReason.class);
  private final PendingRecords pending;
  private long lastPollNanos;
  /** A poll for the partitions behind returned nothing: go on without them until a poll returns records. */
  private boolean behindGaveNothing;
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
    this.inTimeOrder = options.pacing().mode() == ReplayOptions.Pacing.Mode.RECORDED;
    this.pending = new PendingRecords(inTimeOrder);
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
    ConsumerRecord<String, byte[]> headRecord = null;
    RecordedExchange head = null;
    long headDue = 0;
    while (!stopping.get() && (count == 0 || replayed < count)) {
      long now = System.nanoTime();
      if (now - deadline >= 0) {
        break;
      }
      if (head == null) {
        if (mustPoll()) {
          if (uncommitted) {
            consumer.commit(pending.offsets(), false);
            uncommitted = false;
          }
          boolean waitingForBehind = !pending.isEmpty();
          behindGaveNothing = !poll(waitingForBehind ? BEHIND_WAIT : POLL) && waitingForBehind;
          continue;
        }
        headRecord = pending.next();
        head = decodeAndSelect(headRecord);
        if (head == null) {
          continue;
        }
        // Read the clock after decoding: the first decode loads classes, and the first request anchors the pace.
        now = System.nanoTime();
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
      head = null;
    }
    Map<TopicPartition, Long> unreplayed = pending.offsets();
    if (head != null) {
      unreplayed.merge(new TopicPartition(headRecord.topic(), headRecord.partition()), headRecord.offset(), Math::min);
    }
    return unreplayed;
  }

  /** Nothing is pending, or (in time order) a partition behind has no pending record that could come first. */
  private boolean mustPoll() {
    if (pending.isEmpty()) {
      return true;
    }
    if (!inTimeOrder || behindGaveNothing) {
      return false;
    }
    Set<TopicPartition> behind = consumer.partitionsBehind();
    behind.removeAll(pending.partitions());
    return !behind.isEmpty();
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

  /** Polls, keeps what came and pauses the partitions it came from; true when records came. */
  private boolean poll(Duration wait) {
    lastPollNanos = System.nanoTime();
    ConsumerRecords<String, byte[]> records;
    try {
      records = consumer.poll(wait);
    } catch (WakeupException e) {
      return false; // stop() was called; the loop's condition ends it
    }
    if (!records.isEmpty()) {
      pending.addAll(records);
      uncommitted = true;
      behindGaveNothing = false;
    }
    if (inTimeOrder) {
      consumer.pauseOnly(pending.partitions());
    } else if (pending.isEmpty()) {
      consumer.resumeAll();
    } else {
      consumer.pauseAll();
    }
    stats.lag(consumer.lag() < 0 ? -1 : consumer.lag() + pending.size());
    return !records.isEmpty();
  }
}
