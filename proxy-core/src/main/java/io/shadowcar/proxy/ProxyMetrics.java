package io.shadowcar.proxy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Metric names of the traffic port, and the meters themselves, created once so a request only touches cached
 * meters. Tag values are bounded (status class, outcome, error kind).
 */
public final class ProxyMetrics {

  /** Timer of primary exchanges, tags {@code status_class} (1xx..5xx, none) and {@code outcome}. */
  public static final String PRIMARY_REQUESTS = "shadowcar.primary.requests";
  /** Counter of failed exchanges, tag {@code kind} ({@link ProxyError#tag()}). */
  public static final String PRIMARY_ERRORS = "shadowcar.primary.errors";
  /** Gauge of exchanges in flight on the traffic port. */
  public static final String ACTIVE_REQUESTS = "shadowcar.primary.active";
  /**
   * Counter of requests refused for breaking the framing rules (or unparseable), tag {@code reason}
   * ({@link Rejection#tag()}). Each also counts in {@link #PRIMARY_ERRORS}.
   */
  public static final String REJECTED = "shadowcar.proxy.rejected";
  /** Counter of callers' {@code X-Request-Id} values replaced by a generated id (too long, or unsafe characters). */
  public static final String REQUEST_ID_REPLACED = "shadowcar.proxy.request.id.replaced";
  /** Counter of exceptions thrown by taps (the tap is detached from that exchange). */
  public static final String TAP_ERRORS = "shadowcar.tap.errors";
  /** Gauge of open caller connections on the traffic port. */
  public static final String CONNECTIONS = "shadowcar.proxy.connections";
  /** Counter of caller connections closed on arrival because {@code maxConnections} were open. */
  public static final String CONNECTIONS_REFUSED = "shadowcar.proxy.connections.refused";
  /**
   * Counter of request bodies by how they reached the primary, tag {@code mode}: {@value #MODE_BUFFERED} (read
   * completely first), {@value #MODE_STREAMED} (larger than the buffer, or of unknown size and grown past it) or
   * {@value #MODE_BUFFERS_FULL} (streamed because every buffer together was full).
   */
  public static final String REQUEST_BODIES = "shadowcar.proxy.request.bodies";
  /** Gauge of bytes held by request bodies read ahead of the primary. */
  public static final String REQUEST_BUFFERED_BYTES = "shadowcar.proxy.request.buffered.bytes";
  /**
   * Counter of requests whose trailer fields could not go on to the primary, tag {@code reason}:
   * {@value #DROPPED_LENGTH} (an HTTP/1.1 request sent with a {@code Content-Length}, which has no trailer section) or
   * {@value #DROPPED_UNSUPPORTED} (an HTTP/2 request Vert.x cannot end with trailers; logged once).
   */
  public static final String REQUEST_TRAILERS_DROPPED = "shadowcar.proxy.request.trailers.dropped";
  public static final String DROPPED_LENGTH = "length_framed";
  public static final String DROPPED_UNSUPPORTED = "unsupported";

  /** Gauge of open {@code Upgrade} tunnels (and upgrades waiting for the primary's answer). */
  public static final String TUNNELS_OPEN = "shadowcar.proxy.tunnels.open";
  /**
   * Counter of tunnelled {@code Upgrade} requests, tag {@code result}: {@code opened}, {@code refused} (at the cap,
   * answered 503), {@code declined} (the primary answered other than 101; its answer was relayed).
   */
  public static final String TUNNELS = "shadowcar.proxy.tunnels";
  /** Counter of closed tunnels, tag {@code reason}: {@code caller}, {@code primary}, {@code idle}, {@code error}. */
  public static final String TUNNELS_CLOSED = "shadowcar.proxy.tunnels.closed";

  public static final String TAG_RESULT = "result";
  public static final String TAG_STATUS_CLASS = "status_class";
  public static final String TAG_OUTCOME = "outcome";
  public static final String TAG_KIND = "kind";
  public static final String TAG_REASON = "reason";
  public static final String TAG_MODE = "mode";
  public static final String MODE_BUFFERED = "buffered";
  public static final String MODE_STREAMED = "streamed";
  public static final String MODE_BUFFERS_FULL = "buffers_full";

  private static final String[] STATUS_CLASSES = {"none", "1xx", "2xx", "3xx", "4xx", "5xx"};

  /** How an exchange ended, the {@code outcome} tag. */
  public enum Outcome {
    /** The primary's response was relayed completely. */
    FORWARDED("forwarded"),
    /** The proxy answered with its own error status. */
    ERROR("error"),
    /** Caller or primary went away mid-exchange: no complete response. */
    ABORTED("aborted");

    private final String tag;

    Outcome(String tag) {
      this.tag = tag;
    }

    public String tag() {
      return tag;
    }
  }

  private final MeterRegistry registry;
  private final Timer[][] timers = new Timer[Outcome.values().length][STATUS_CLASSES.length];
  private final Counter[] errors = new Counter[ProxyError.values().length];
  private final Counter[] rejected = new Counter[Rejection.values().length];
  private final Counter tapErrors;
  private final Counter requestIdsReplaced;
  private final Counter connectionsRefused;
  private final Counter bodiesBuffered;
  private final Counter bodiesStreamed;
  private final Counter bodiesBuffersFull;
  private final Counter trailersDroppedLength;
  private final Counter trailersDroppedUnsupported;
  private final LongAdder active = new LongAdder();

  public ProxyMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (ProxyError e : ProxyError.values()) {
      errors[e.ordinal()] = Counter.builder(PRIMARY_ERRORS).tag(TAG_KIND, e.tag())
          .description("Primary exchanges that failed, by kind").register(registry);
    }
    for (Rejection r : Rejection.values()) {
      rejected[r.ordinal()] = Counter.builder(REJECTED).tag(TAG_REASON, r.tag())
          .description("Requests refused by the traffic port's framing rules, by reason").register(registry);
    }
    tapErrors = Counter.builder(TAP_ERRORS).description("Exceptions thrown by traffic taps").register(registry);
    requestIdsReplaced = Counter.builder(REQUEST_ID_REPLACED)
        .description("Callers' X-Request-Id values replaced because they were too long or unsafe").register(registry);
    connectionsRefused = Counter.builder(CONNECTIONS_REFUSED)
        .description("Caller connections closed on arrival: maxConnections were open").register(registry);
    bodiesBuffered = bodies(MODE_BUFFERED);
    bodiesStreamed = bodies(MODE_STREAMED);
    bodiesBuffersFull = bodies(MODE_BUFFERS_FULL);
    trailersDroppedLength = trailersDropped(DROPPED_LENGTH);
    trailersDroppedUnsupported = trailersDropped(DROPPED_UNSUPPORTED);
    Gauge.builder(ACTIVE_REQUESTS, active, LongAdder::sum).description("Primary exchanges in flight")
        .register(registry);
  }

  private Counter bodies(String mode) {
    return Counter.builder(REQUEST_BODIES).tag(TAG_MODE, mode)
        .description("Request bodies by how they reached the primary").register(registry);
  }

  private Counter trailersDropped(String reason) {
    return Counter.builder(REQUEST_TRAILERS_DROPPED).tag(TAG_REASON, reason)
        .description("Requests whose trailer fields could not go on to the primary").register(registry);
  }

  /** Publishes the open caller connections. */
  void connections(Supplier<Number> open) {
    Gauge.builder(CONNECTIONS, open).description("Open caller connections on the traffic port").register(registry);
  }

  /** Publishes the bytes held by request bodies read ahead of the primary. */
  void bufferedBytes(Supplier<Number> held) {
    Gauge.builder(REQUEST_BUFFERED_BYTES, held).baseUnit("bytes")
        .description("Bytes of request bodies read ahead of the primary").register(registry);
  }

  void connectionRefused() {
    connectionsRefused.increment();
  }

  void bodyBuffered() {
    bodiesBuffered.increment();
  }

  void bodyStreamed(boolean buffersFull) {
    (buffersFull ? bodiesBuffersFull : bodiesStreamed).increment();
  }

  /** Counts a request whose trailers were dropped: sent with a length ({@code lengthFramed}) or unsupported. */
  void requestTrailersDropped(boolean lengthFramed) {
    (lengthFramed ? trailersDroppedLength : trailersDroppedUnsupported).increment();
  }

  void exchangeStarted() {
    active.increment();
  }

  void exchangeEnded(Outcome outcome, int status, long elapsedNanos) {
    active.decrement();
    timer(outcome, status).record(elapsedNanos, TimeUnit.NANOSECONDS);
  }

  void error(ProxyError error) {
    errors[error.ordinal()].increment();
  }

  /** Counts a refused request: its reason, and its error kind. */
  void rejected(Rejection rejection) {
    rejected[rejection.ordinal()].increment();
    error(rejection.error());
  }

  void requestIdReplaced() {
    requestIdsReplaced.increment();
  }

  void tapError() {
    tapErrors.increment();
  }

  private Timer timer(Outcome outcome, int status) {
    int cls = status >= 100 && status < 600 ? status / 100 : 0;
    Timer t = timers[outcome.ordinal()][cls];
    if (t == null) {
      // Racy lazy init is fine: the registry returns the same meter for the same id.
      t = Timer.builder(PRIMARY_REQUESTS)
          .tag(TAG_STATUS_CLASS, STATUS_CLASSES[cls])
          .tag(TAG_OUTCOME, outcome.tag())
          .description("Exchanges with the primary, from request head to the end of the response")
          .publishPercentileHistogram()
          .minimumExpectedValue(Duration.ofMillis(1))
          .maximumExpectedValue(Duration.ofSeconds(60))
          .register(registry);
      timers[outcome.ordinal()][cls] = t;
    }
    return t;
  }
}
