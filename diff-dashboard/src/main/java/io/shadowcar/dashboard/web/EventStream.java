package io.shadowcar.dashboard.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shadowcar.dashboard.DiffRecorder;
import io.shadowcar.dashboard.LiveEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code GET /api/diff/events}: server-sent events. A {@code hello} at once, then the recorder's live events
 * ({@code exchanges} summaries at most once a second, {@code clear}, {@code rules}) and a comment line every 15 s
 * so proxies keep the stream open. A client that does not read loses events (never buffered without bound).
 */
final class EventStream {

  static final long HEARTBEAT_MS = 15_000;
  private static final int MAX_STREAMS = 32;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Vertx vertx;
  private final DiffRecorder recorder;
  private final AtomicInteger open = new AtomicInteger();

  EventStream(Vertx vertx, DiffRecorder recorder) {
    this.vertx = vertx;
    this.recorder = recorder;
  }

  void handle(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    if (open.incrementAndGet() > MAX_STREAMS) {
      open.decrementAndGet();
      response.setStatusCode(503).putHeader("retry-after", "30").end();
      return;
    }
    response.setChunked(true).putHeader("content-type", "text/event-stream; charset=utf-8")
        .putHeader("cache-control", "no-cache").putHeader("x-accel-buffering", "no");
    response.write("retry: 3000\n\nevent: hello\ndata: {\"since\":" + recorder.view().sinceMillis() + "}\n\n");
    Context context = vertx.getOrCreateContext();
    Runnable unsubscribe = recorder.subscribe(event -> {
      String frame = frame(event);
      context.runOnContext(v -> {
        if (!response.ended() && !response.closed() && !response.writeQueueFull()) {
          response.write(frame);
        }
      });
    });
    long heartbeat = vertx.setPeriodic(HEARTBEAT_MS, id -> {
      if (!response.closed() && !response.ended()) {
        response.write(": heartbeat\n\n");
      }
    });
    response.closeHandler(v -> {
      unsubscribe.run();
      vertx.cancelTimer(heartbeat);
      open.decrementAndGet();
    });
  }

  private static String frame(LiveEvent event) {
    try {
      return "event: " + event.type() + "\ndata: " + JSON.writeValueAsString(event) + "\n\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
