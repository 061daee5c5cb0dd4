package io.shadowcar.launcher.filesink;

import io.shadowcar.common.concurrent.NamedThreadFactory;
import io.shadowcar.sink.ShadowSink;
import io.shadowcar.sink.SinkAdmission;
import io.shadowcar.sink.SinkContext;
import io.shadowcar.tee.DropReason;
import io.shadowcar.tee.TeeEvent;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * Appends one JSON line per copy ({@code requestId}, {@code method}, {@code uri}, {@code route}, {@code bodyBytes}) to
 * a file, on its own thread: the event loop only admits and hands over. An example of the sink SPI, not a production
 * sink (no rotation, no fsync).
 */
final class FileShadowSink implements ShadowSink {

  private static final int MAX_INFLIGHT = 256;

  private final Path file;
  private final SinkAdmission admission;
  private final ExecutorService writer = Executors.newSingleThreadExecutor(
      NamedThreadFactory.single("shadowcar-file-sink"));
  private volatile boolean closed;

  FileShadowSink(Path file, SinkContext context) {
    this.file = file;
    this.admission = new SinkAdmission(FileSinkProvider.TAG, MAX_INFLIGHT, 0, context.registry());
  }

  @Override
  public String tag() {
    return FileSinkProvider.TAG;
  }

  @Override
  public DropReason refusal() {
    return closed ? DropReason.SINK_DOWN : admission.refusal();
  }

  @Override
  public void send(TeeEvent event) {
    if (closed) {
      admission.drop(event, DropReason.SINK_DOWN);
      return;
    }
    SinkAdmission.Permit permit = admission.admit(event);
    if (permit == null) {
      return;
    }
    try {
      writer.execute(() -> write(permit));
    } catch (RejectedExecutionException e) {
      permit.drop(DropReason.SINK_DOWN);
    }
  }

  private void write(SinkAdmission.Permit permit) {
    TeeEvent event = permit.event();
    String line = new JsonObject()
        .put("requestId", event.requestId())
        .put("method", event.method().name())
        .put("uri", event.uri())
        .put("route", event.route())
        .put("bodyBytes", event.body().length())
        .encode() + "\n";
    try {
      Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      permit.sent();
    } catch (IOException e) {
      permit.failed();
    }
  }

  @Override
  public Future<Void> close() {
    closed = true;
    writer.shutdown();
    admission.close();
    return Future.succeededFuture();
  }
}
