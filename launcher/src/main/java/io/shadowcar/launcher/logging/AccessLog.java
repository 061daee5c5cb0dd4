package io.shadowcar.launcher.logging;

import io.shadowcar.proxy.tap.ExchangeTap;
import io.shadowcar.proxy.tap.RequestHead;
import io.shadowcar.proxy.tap.TrafficTap;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log: one line per request on the {@value #LOGGER} logger, {@code METHOD URI STATUS BYTES DURATION_MS
 * REQUEST_ID UPSTREAM} (the time comes from the log pattern; in JSON the fields are also key-value pairs). A tap in
 * front of the tee: it passes every callback on to the tee's tap and only counts the response bytes.
 *
 * <p>The line is handed to logback's asynchronous appender (configured with {@code neverBlock}), so the event loop
 * only formats it; when the queue is full lines are lost, never waited for. Off by default; read per request from
 * the config in force (one volatile read), so it can be switched at runtime. Not an audit log: lines may be dropped.
 */
public final class AccessLog implements TrafficTap {

  /** The logger the lines go to; LogSetup gives it its own asynchronous appender. */
  public static final String LOGGER = "shadowcar.access";

  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  private final TrafficTap next;
  private volatile AccessLogConfig config;

  /** @param next the tap every exchange is shown to as well (the tee) */
  public AccessLog(TrafficTap next, AccessLogConfig config) {
    this.next = next;
    this.config = config;
  }

  /** Switches to a new config; requests already started keep the old decision. */
  public void update(AccessLogConfig config) {
    this.config = config;
  }

  @Override
  public ExchangeTap open(RequestHead head) {
    ExchangeTap inner = next.open(head);
    AccessLogConfig now = config;
    if (!now.enabled() || !LOG.isInfoEnabled() || !sampled(now.samplePercent())) {
      return inner;
    }
    return new Logged(head, inner, System.nanoTime());
  }

  private static boolean sampled(double percent) {
    return percent >= 100 || ThreadLocalRandom.current().nextDouble(100) < percent;
  }

  /** One logged exchange: passes everything on, counts the bytes sent to the caller, writes the line at the end. */
  private static final class Logged implements ExchangeTap {
    private final RequestHead head;
    private final ExchangeTap inner;
    private final long startNanos;
    private URI upstream;
    private int status;
    private long bytes;

    Logged(RequestHead head, ExchangeTap inner, long startNanos) {
      this.head = head;
      this.inner = inner;
      this.startNanos = startNanos;
    }

    @Override
    public void onUpstream(URI target) {
      upstream = target;
      inner.onUpstream(target);
    }

    @Override
    public void onRequestChunk(Buffer chunk) {
      inner.onRequestChunk(chunk);
    }

    @Override
    public void onRequestEnd() {
      inner.onRequestEnd();
    }

    @Override
    public void onResponseHead(int statusCode, MultiMap headers) {
      status = statusCode;
      inner.onResponseHead(statusCode, headers);
    }

    @Override
    public void onResponseChunk(Buffer chunk) {
      bytes += chunk.length();
      inner.onResponseChunk(chunk);
    }

    @Override
    public void onComplete(Throwable failure) {
      try {
        inner.onComplete(failure);
      } finally {
        log();
      }
    }

    private void log() {
      long millis = (System.nanoTime() - startNanos) / 1_000_000;
      String shownStatus = status == 0 ? "-" : String.valueOf(status);
      String shownUpstream = upstream == null ? "-" : upstream.toString();
      LOG.atInfo()
          .addKeyValue("method", head.method().name())
          .addKeyValue("uri", head.uri())
          .addKeyValue("status", shownStatus)
          .addKeyValue("bytes", bytes)
          .addKeyValue("durationMs", millis)
          .addKeyValue("requestId", head.requestId())
          .addKeyValue("upstream", shownUpstream)
          .log(head.method().name() + " " + head.uri() + " " + shownStatus + " " + bytes + " " + millis + " "
              + head.requestId() + " " + shownUpstream);
    }
  }
}
