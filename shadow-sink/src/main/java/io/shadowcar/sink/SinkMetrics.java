package io.shadowcar.sink;

/**
 * Metric names of the sink module beyond the tee's shared ones (copies, drops, latency and in-flight are in
 * {@link io.shadowcar.tee.TeeMetrics}). Every tag value is bounded: listener names come from code, reasons are fixed.
 */
public final class SinkMetrics {

  /**
   * Exchanges an exchange listener never saw because its queue was full,
   * {@code shadowcar_exchange_listener_dropped_total{listener,reason}}.
   */
  public static final String LISTENER_DROPPED = "shadowcar.exchange.listener.dropped";

  /**
   * Copies sent to the secondary (the primary's version, for noise), apart from the candidate's copy counters so a
   * broken secondary never looks like a broken candidate:
   * {@code shadowcar_shadow_secondary_copies_total{sink,result="sent|failed|inflight_full"}}.
   */
  public static final String SECONDARY_COPIES = "shadowcar.shadow.secondary.copies";

  /**
   * Time from handing a record to the Kafka producer to the broker's answer, with histogram:
   * {@code shadowcar_kafka_send_seconds{result="sent|failed"}} (batching delay, network and broker included; copies
   * the producer refused at once are not timed, they are drops).
   */
  public static final String KAFKA_SEND = "shadowcar.kafka.send";

  public static final String TAG_LISTENER = "listener";
  public static final String TAG_REASON = "reason";

  /** The listener's queue held its maximum number of exchanges. */
  public static final String REASON_QUEUE_FULL = "queue_full";
  /** The listener's queue held its maximum of body bytes. */
  public static final String REASON_BYTES_FULL = "bytes_full";

  private SinkMetrics() {}
}
