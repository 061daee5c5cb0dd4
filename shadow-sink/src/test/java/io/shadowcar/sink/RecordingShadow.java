package io.shadowcar.sink;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.net.URI;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP shadow on 127.0.0.1 for tests: records every request it receives (method, raw URI, headers, body) and
 * answers with a fixed status and body, or holds every answer until {@link #releaseHeld()}, or never answers at all.
 */
public final class RecordingShadow implements AutoCloseable {

  /** One request as the shadow saw it. */
  public record Received(HttpMethod method, String uri, MultiMap headers, Buffer body) {}

  public enum Mode { ANSWER, HOLD, NEVER }

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedQueue<HttpServerResponse> held = new ConcurrentLinkedQueue<>();
  private volatile Mode mode = Mode.ANSWER;
  private volatile int status = 200;
  private volatile String answer = "shadow-answer";

  public RecordingShadow(Vertx vertx) throws Exception {
    server = vertx.createHttpServer().requestHandler(this::handle);
    server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      received.add(new Received(request.method(), request.uri(),
          MultiMap.caseInsensitiveMultiMap().addAll(request.headers()), body.copy()));
      switch (mode) {
        case ANSWER -> request.response().setStatusCode(status).end(answer);
        case HOLD -> held.add(request.response());
        case NEVER -> { }
      }
    });
  }

  public RecordingShadow answering(int status, String body) {
    this.status = status;
    this.answer = body;
    this.mode = Mode.ANSWER;
    return this;
  }

  public RecordingShadow mode(Mode mode) {
    this.mode = mode;
    return this;
  }

  /** Answers every held request (200, the configured body) and goes back to answering at once. */
  public void releaseHeld() {
    mode = Mode.ANSWER;
    HttpServerResponse response;
    while ((response = held.poll()) != null) {
      HttpServerResponse r = response;
      r.setStatusCode(status).end(answer);
    }
  }

  public List<Received> received() {
    return received;
  }

  public int port() {
    return server.actualPort();
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + port());
  }

  @Override
  public void close() throws Exception {
    server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
