package io.shadowcar.launcher.fleet;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.shadowcar.dashboard.DiffRecorder;
import io.shadowcar.dashboard.DiffResultRecord;
import io.shadowcar.dashboard.DiffResultRecord.BadResultException;
import io.shadowcar.dashboard.DiffResultRecord.Compared;
import io.shadowcar.launcher.replay.ExchangeConsumer;
import io.shadowcar.launcher.replay.ExchangeConsumer.TopicUnavailableException;
import io.shadowcar.launcher.replay.ReplayOptions.StartPosition;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the dashboard from the results topic: one thread polls, decodes each result, drops the ones whose request id
 * it saw within the {@link RecentIds} window, and hands the others to {@link DiffRecorder#recordResult} (the
 * recorder's one caller). Offsets are committed after each batch is recorded (asynchronously; synchronously on
 * revocation and at the end). A new group starts at the beginning of the topic.
 *
 * <p>Counted in {@value #RESULTS} by {@code outcome}: {@code recorded}, {@code duplicate}, {@code bad} (not a
 * {@value DiffResultRecord#FORMAT_V1} record; the first is logged).
 */
final class ResultConsumer {

  static final String RESULTS = "shadowcar_diff_results";

  private static final Logger LOG = LoggerFactory.getLogger(ResultConsumer.class);
  private static final Duration POLL = Duration.ofMillis(200);

  private final ExchangeConsumer consumer;
  private final DiffRecorder recorder;
  private final RecentIds recent;
  private final Counter recorded;
  private final Counter duplicates;
  private final Counter bad;
  private final AtomicBoolean stopping = new AtomicBoolean();

  ResultConsumer(DashboardOptions options, DiffRecorder recorder, MeterRegistry registry) {
    this.recorder = recorder;
    this.recent = new RecentIds(options.dedupWindow());
    this.consumer = new ExchangeConsumer(options.bootstrap(), options.resultsTopic(), Optional.of(options.group()),
        new StartPosition(StartPosition.Kind.COMMITTED, 0),
        Map.of(ConsumerConfig.CLIENT_ID_CONFIG, "shadowcar-diff-dashboard",
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
        this::onRevoked);
    this.recorded = counter(registry, "recorded");
    this.duplicates = counter(registry, "duplicate");
    this.bad = counter(registry, "bad");
  }

  /** Reads until {@link #stop()}; then commits what was recorded and leaves the group. */
  void run() throws TopicUnavailableException {
    try {
      consumer.start();
      while (!stopping.get()) {
        ConsumerRecords<String, byte[]> records;
        try {
          records = consumer.poll(POLL);
        } catch (WakeupException e) {
          continue;
        }
        records.forEach(this::ingest);
        if (!records.isEmpty()) {
          commit(false);
        }
      }
      commit(true);
    } finally {
      consumer.close();
    }
  }

  /** Ends {@link #run()} within a poll; safe from any thread. */
  void stop() {
    stopping.set(true);
    consumer.wakeup();
  }

  long recorded() {
    return (long) recorded.count();
  }

  long duplicates() {
    return (long) duplicates.count();
  }

  private void ingest(ConsumerRecord<String, byte[]> record) {
    Header format = record.headers().lastHeader(DiffResultRecord.FORMAT_HEADER);
    Compared compared;
    try {
      compared = DiffResultRecord.decode(format == null ? null : new String(format.value(), StandardCharsets.UTF_8),
          record.value());
    } catch (BadResultException e) {
      bad.increment();
      if (bad.count() == 1) {
        LOG.warn("skipping result {}-{}@{} ({}); further bad results are only counted", record.topic(),
            record.partition(), record.offset(), e.getMessage());
      }
      return;
    }
    if (!recent.firstTime(compared.sample().request().requestId())) {
      duplicates.increment();
      return;
    }
    recorder.recordResult(compared.result(), compared.sample());
    recorded.increment();
  }

  /** Everything polled is recorded before the next poll, so the positions are what may be committed. */
  private void onRevoked(Collection<TopicPartition> revoked) {
    commit(true);
  }

  private void commit(boolean sync) {
    try {
      consumer.commit(Map.of(), sync);
    } catch (RuntimeException e) {
      LOG.warn("commit failed: {}; results since the last commit may be read again (and dropped as duplicates "
          + "within the window)", e.getMessage());
    }
  }

  private static Counter counter(MeterRegistry registry, String outcome) {
    return Counter.builder(RESULTS).description("diff results read from the results topic, by outcome")
        .tag("outcome", outcome).register(registry);
  }
}
