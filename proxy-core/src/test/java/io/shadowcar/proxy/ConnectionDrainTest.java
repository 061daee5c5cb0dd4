package io.shadowcar.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.impl.ShutdownEvent;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How one HTTP/1.1 connection ends on shutdown, on an embedded channel with the strict decoder in front of the drain
 * handler: a request that comes after the shutdown began is answered with {@code Connection: close}, and only a
 * connection that has nothing in flight and no head arriving is closed without an answer.
 */
class ConnectionDrainTest {

  private static final String GET = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
  private static final long LONG_QUIET = TimeUnit.MINUTES.toNanos(1);

  private EmbeddedChannel channel;

  private void connect(long quietNanos) {
    channel = new EmbeddedChannel();
    channel.pipeline().addLast(StrictPipeline.DECODER,
        new StrictRequestDecoder(new HttpServerOptions(), 0, new ProxyMetrics(new SimpleMeterRegistry())));
    channel.pipeline().addLast(ConnectionDrain.NAME, new ConnectionDrain(quietNanos));
  }

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  private HttpRequest request(String raw) {
    channel.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.US_ASCII));
    HttpRequest request = channel.readInbound();
    ReferenceCountUtil.release(channel.readInbound()); // its (empty) end
    return request;
  }

  private HttpResponse respond() {
    channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
    channel.runPendingTasks();
    return channel.readOutbound();
  }

  private void shutdown() {
    channel.pipeline().fireUserEventTriggered(new ShutdownEvent(10, TimeUnit.SECONDS));
  }

  @Test
  void keepsKeepAliveConnectionsOpenUntilTheShutdown() {
    connect(0);
    request(GET);
    assertNull(respond().headers().get("connection"));
    assertTrue(channel.isOpen());
  }

  @Test
  void answersARequestSentAfterTheShutdownBeganWithConnectionCloseThenCloses() {
    connect(LONG_QUIET);
    request(GET);
    respond();
    shutdown();
    assertTrue(channel.isOpen(), "an idle connection that was busy a moment ago was closed at once");

    request(GET);
    assertEquals("close", respond().headers().get("connection"));
    assertFalse(channel.isOpen());
  }

  @Test
  void aResponseInFlightWhenTheShutdownBeginsSaysConnectionClose() {
    connect(LONG_QUIET);
    request(GET);
    shutdown();
    assertTrue(channel.isOpen());
    assertEquals("close", respond().headers().get("connection"));
    assertFalse(channel.isOpen());
  }

  @Test
  void closesAConnectionThatWasQuietLongEnough() {
    connect(0);
    request(GET);
    respond();
    shutdown();
    assertFalse(channel.isOpen());
  }

  @Test
  void neverClosesWhileARequestHeadIsArriving() {
    connect(0);
    channel.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\nHo", StandardCharsets.US_ASCII));
    shutdown();
    assertTrue(channel.isOpen(), "closed in the middle of a request head");

    request("st: a\r\n\r\n");
    assertEquals("close", respond().headers().get("connection"));
    assertFalse(channel.isOpen());
  }

  @Test
  void passesTheShutdownOnWhenTheConnectionIsNoLongerHttp1() {
    connect(0);
    channel.pipeline().remove(StrictPipeline.DECODER);
    Object[] seen = new Object[1];
    channel.pipeline().addLast(new io.netty.channel.ChannelInboundHandlerAdapter() {
      @Override
      public void userEventTriggered(io.netty.channel.ChannelHandlerContext ctx, Object evt) {
        seen[0] = evt;
      }
    });
    shutdown();
    assertTrue(seen[0] instanceof ShutdownEvent);
    assertTrue(channel.isOpen());
  }
}
