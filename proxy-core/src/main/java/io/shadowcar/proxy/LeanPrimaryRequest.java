package io.shadowcar.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.shadowcar.proxy.upstream.Http1Connection;
import io.shadowcar.proxy.upstream.Http1Connections;
import io.shadowcar.proxy.upstream.Target;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.headers.HeadersMultiMap;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.Map;

/**
 * A request to a plain HTTP/1.1 primary over a {@link Http1Connection} of the loop's {@link Http1Connections}:
 * the forwarded header map goes to Netty's encoder as it is (Vert.x's map is Netty's kind), and the primary's head,
 * body chunks and trailers come back to the exchange as Netty decoded them. Each callback runs as a guarded step of
 * the exchange. Event-loop confined.
 */
final class LeanPrimaryRequest implements PrimaryRequest, Http1Connection.Holder, Http1Connections.Waiter {

  private final Exchange exchange;
  private final Http1Connections pool;
  private final Target target;
  private final HttpMethod method;
  private final String uri;
  private final MultiMap headers;
  private final boolean keepAlive;
  private Http1Connection connection;
  private HttpRequest head;
  private boolean headWritten;
  private boolean chunked;
  private HttpResponse response;

  LeanPrimaryRequest(Exchange exchange, Http1Connections pool, Target target, HttpMethod method, String uri,
      MultiMap headers, boolean keepAlive) {
    this.exchange = exchange;
    this.pool = pool;
    this.target = target;
    this.method = method;
    this.uri = uri;
    this.headers = headers;
    this.keepAlive = keepAlive;
  }

  /** The primary's connection for this request, held for it; sent once {@link #prepare}d. */
  Http1Connection connection() {
    return connection;
  }

  // --- waiting for a connection

  @Override
  public void connected(Http1Connection held) {
    if (exchange.ended()) {
      pool.releaseUnused(held);
      return;
    }
    connection = held;
    held.hold(this);
    GuardedStep.run(exchange, Exchange::onUpstreamReady, this);
  }

  @Override
  public void connectFailed(Throwable cause) {
    GuardedStep.run(exchange, Exchange::onUpstreamFailure, cause);
  }

  @Override
  public boolean withdrawn() {
    return exchange.ended();
  }

  // --- the request

  /**
   * The head as forwarded, with what the hop itself needs: {@code Host} when the caller gave no authority at all (the
   * forwarded map carries the caller's otherwise; here the primary's, as nginx sends), chunking, {@code Connection:
   * close} when keep-alive is off. Those go on a copy of the map, never on the map itself, which the tap was shown and
   * builds the copy for the shadows from.
   */
  @Override
  public void prepare(HttpServerRequest caller, long readAheadBytes) {
    HttpHeaders forwarded = nettyFields(headers);
    boolean addHost = !forwarded.contains(HttpHeaderNames.HOST);
    chunked = Framing.needsChunkedUpstream(caller, readAheadBytes);
    HttpHeaders fields = addHost || chunked || !keepAlive
        ? HeadersMultiMap.caseInsensitive().add(forwarded) : forwarded;
    if (addHost) {
      fields.set(HttpHeaderNames.HOST, target.url().authority());
    }
    if (chunked) {
      fields.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }
    if (!keepAlive) {
      fields.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    head = new DefaultHttpRequest(io.netty.handler.codec.http.HttpVersion.HTTP_1_1, method.toNetty(), uri, fields);
  }

  /** Vert.x's maps are Netty's kind already (the usual case): the same object; any other map copied. */
  private static HttpHeaders nettyFields(MultiMap from) {
    return from instanceof HttpHeaders netty ? netty : copy(from);
  }

  private static HttpHeaders copy(MultiMap from) {
    HttpHeaders to = HeadersMultiMap.caseInsensitive(); // fields the caller sent, checked by its decoder already
    for (Map.Entry<String, String> field : from) {
      to.add(field.getKey(), field.getValue());
    }
    return to;
  }

  private void writeHead(boolean flush) {
    if (!headWritten) {
      headWritten = true;
      connection.writeHead(head, flush);
    }
  }

  @Override
  public void write(Buffer chunk) {
    writeHead(false);
    connection.write(((BufferInternal) chunk).getByteBuf());
  }

  @Override
  public boolean writeQueueFull() {
    return connection.writeQueueFull();
  }

  @Override
  public void sendHeadAwaitingContinue() {
    writeHead(true);
  }

  @Override
  public void end(MultiMap trailers, ProxyMetrics metrics) {
    if (trailers != null && !chunked) {
      metrics.requestTrailersDropped(true); // a body with a length has no place for them
      trailers = null;
    }
    if (!headWritten && trailers == null) {
      // no body (most requests): the head and the end go in one write
      headWritten = true;
      connection.send(new DefaultFullHttpRequest(head.protocolVersion(), head.method(), head.uri(),
          Unpooled.EMPTY_BUFFER, head.headers(), EmptyHttpHeaders.INSTANCE));
      return;
    }
    writeHead(false);
    connection.end(trailers == null ? null : nettyFields(trailers));
  }

  @Override
  public void reset() {
    if (connection != null) {
      connection.close();
    }
  }

  @Override
  public void release(boolean complete) {
    if (connection != null) {
      pool.release(connection, response, complete);
    }
  }

  // --- what the primary answers

  @Override
  public void answerContinue() {
    GuardedStep.run(exchange, Exchange::onUpstreamContinue, null);
  }

  @Override
  public void answerHead(HttpResponse answer) {
    response = answer;
    GuardedStep.run(exchange, Exchange::onLeanResponse, answer);
  }

  @Override
  public void answerChunk(ByteBuf data) {
    exchange.relay().chunk(data);
  }

  @Override
  public void answerEnd(HttpHeaders trailers) {
    GuardedStep.run(exchange, (e, t) -> e.relay().onLeanEnd(t), trailers);
  }

  @Override
  public void answerLast(ByteBuf data, HttpHeaders trailers) {
    exchange.relay().lastChunk(data, trailers);
  }

  @Override
  public void answerBatchEnd() {
    exchange.relay().batchEnd();
  }

  @Override
  public void drained() {
    GuardedStep.run(exchange, Exchange::onUpstreamDrained, null);
  }

  @Override
  public void failed(Throwable cause) {
    GuardedStep.run(exchange, Exchange::onUpstreamFailure, cause);
  }
}
