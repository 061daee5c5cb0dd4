package io.shadowcar.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The primary's response body handed over directly, on an embedded channel with Netty's client codec in front of the
 * handler and a stand-in for Vert.x behind it that attaches a receiver when it sees the response head (as the relay
 * does) or, for the fallback, only after a chunk reached it.
 */
class DirectResponseBodyTest {

  private static final String CHUNKED_HEAD = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";

  private final DirectResponseBody direct = new DirectResponseBody();
  /** What the receiver got, as text; each buffer released by it, as the relay does once written. */
  private final List<String> received = new ArrayList<>();
  /** What reached the stand-in for Vert.x: heads, chunks (as text) and ends (with their trailers). */
  private final List<String> vertx = new ArrayList<>();
  private final List<ByteBuf> receivedBuffers = new ArrayList<>();
  /** How many chunks the receiver had each time it was told a read ended. */
  private final List<Integer> readEnds = new ArrayList<>();
  private final DirectResponseBody.Receiver receiver = new DirectResponseBody.Receiver() {
    @Override
    public void chunk(ByteBuf data) {
      receive(data);
    }

    @Override
    public void batchEnd() {
      readEnds.add(received.size());
    }
  };
  private EmbeddedChannel channel;
  private boolean attachOnHead = true;
  private Boolean attached;

  private void connect() {
    channel = new EmbeddedChannel();
    channel.pipeline().addLast("codec", new HttpClientCodec());
    channel.pipeline().addLast(DirectResponseBody.NAME, direct);
    channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpResponse head) {
          vertx.add("head " + head.status().code());
          if (attachOnHead && head.status().code() >= 200) {
            attached = direct.attach(receiver);
          }
        }
        if (msg instanceof HttpContent content) {
          String text = content.content().toString(StandardCharsets.US_ASCII);
          if (msg instanceof LastHttpContent last) {
            vertx.add("end " + text + " " + last.trailingHeaders().entries());
          } else {
            vertx.add("chunk " + text);
            if (attached == null) {
              attached = direct.attach(receiver);
            }
          }
        }
        ReferenceCountUtil.release(msg);
      }
    });
    channel.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
    ReferenceCountUtil.release(channel.readOutbound());
  }

  private void receive(ByteBuf data) {
    received.add(data.toString(StandardCharsets.US_ASCII));
    receivedBuffers.add(data);
    data.release();
  }

  private void primarySends(String raw) {
    channel.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.US_ASCII));
  }

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  @Test
  void aChunkedBodyGoesToTheReceiverAndItsEndWithTrailersToVertx() {
    connect();
    primarySends(CHUNKED_HEAD + "5\r\nhello\r\n6\r\n world\r\n0\r\nX-Checksum: 7\r\n\r\n");
    assertTrue(attached);
    assertEquals(List.of("hello", " world"), received);
    assertEquals(List.of("head 200", "end  [X-Checksum=7]"), vertx);
    receivedBuffers.forEach(buffer -> assertEquals(0, buffer.refCnt(), "a chunk the receiver released is held"));
  }

  /** The receiver holds the chunks of one read back to write them together: it learns where each read ends. */
  @Test
  void theReceiverIsToldWhereEachReadEndsUntilTheBodyEnds() {
    connect();
    primarySends(CHUNKED_HEAD + "5\r\nhello\r\n");
    primarySends("1\r\n \r\n5\r\nworld\r\n");
    assertEquals(List.of(1, 3), readEnds);
    primarySends("0\r\n\r\n");
    assertEquals(List.of(1, 3), readEnds, "the end went to Vert.x, which ends the caller's response with what is held");
    assertEquals(List.of("hello", " ", "world"), received);
  }

  @Test
  void aBodyWithALengthEndingInOneReadGoesToTheReceiverBeforeVertxSeesTheEnd() {
    connect();
    primarySends("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello world");
    assertEquals(List.of("hello world"), received);
    assertEquals(List.of("head 200", "end  []"), vertx);
  }

  @Test
  void aResponseWhoseBodyBeganWithVertxKeepsItThereAndTheNextResponseCanGoDirect() {
    attachOnHead = false;
    connect();
    primarySends(CHUNKED_HEAD + "5\r\nhello\r\n");
    assertFalse(attached, "attached after a chunk had gone to Vert.x: the next one could overtake it");
    primarySends("6\r\n world\r\n0\r\n\r\n");
    assertEquals(List.of(), received);
    assertEquals(List.of("head 200", "chunk hello", "chunk  world", "end  []"), vertx);

    // the connection's next response starts afresh
    attached = null;
    attachOnHead = true;
    channel.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
    ReferenceCountUtil.release(channel.readOutbound());
    primarySends("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    assertTrue(attached);
    assertEquals(List.of("ok"), received);
  }

  @Test
  void anInterimResponseDoesNotCountAsBodyForTheFinalOne() {
    connect();
    primarySends("HTTP/1.1 100 Continue\r\n\r\n" + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    assertTrue(attached);
    assertEquals(List.of("ok"), received);
    assertEquals(List.of("head 100", "end  []", "head 200", "end  []"), vertx);
  }

  @Test
  void pausingStopsReadingFromThePrimaryUntilResumedOrTheBodyEnds() {
    connect();
    primarySends(CHUNKED_HEAD + "5\r\nhello\r\n");
    direct.pause();
    assertFalse(channel.config().isAutoRead());
    direct.resume();
    assertTrue(channel.config().isAutoRead());
    direct.pause();
    primarySends("0\r\n\r\n");
    assertTrue(channel.config().isAutoRead(), "the end of the body left the connection unread");
    direct.pause();
    assertTrue(channel.config().isAutoRead(), "paused with nothing attached");
  }

  @Test
  void aBodyTheDecoderCannotReadGoesToVertxWhichFailsTheExchange() {
    connect();
    primarySends(CHUNKED_HEAD + "5\r\nhello\r\nzz\r\n");
    assertEquals(List.of("hello"), received);
    assertEquals("head 200", vertx.get(0));
    assertTrue(vertx.get(vertx.size() - 1).startsWith("end"), vertx.toString());
    direct.pause();
    assertTrue(channel.config().isAutoRead(), "still attached after the decoder failed");
  }
}
