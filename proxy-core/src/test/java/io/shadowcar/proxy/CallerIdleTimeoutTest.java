package io.shadowcar.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The caller idle timeout's cadence on a channel whose clock the test moves (no real time passes). */
class CallerIdleTimeoutTest {

  private static final long TIMEOUT_MS = 4_000; // checked every 1 s

  private final List<IdleStateEvent> events = new ArrayList<>();
  private final List<Boolean> voidPromises = new ArrayList<>();

  private EmbeddedChannel channel() {
    EmbeddedChannel channel = new EmbeddedChannel();
    channel.freezeTime();
    channel.pipeline().addLast(new ChannelOutboundHandlerAdapter() {
      @Override
      public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        voidPromises.add(promise.isVoid());
        ctx.write(msg, promise);
      }
    });
    channel.pipeline().addLast("idle", new CallerIdleTimeout(TIMEOUT_MS));
    channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
      @Override
      public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        events.add((IdleStateEvent) evt);
      }
    });
    return channel;
  }

  /** Moves the clock in 1 ms steps, running what falls due at each (as a real loop would). */
  private static void advanceMs(EmbeddedChannel channel, long ms) {
    for (long i = 0; i < ms; i++) {
      channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
      channel.runScheduledPendingTasks();
    }
  }

  @Test
  void aQuietConnectionIsIdleAfterFourQuietQuartersOfTheTimeout() {
    EmbeddedChannel channel = channel();
    advanceMs(channel, 3_999);
    assertEquals(List.of(), events, "idle before the timeout");
    advanceMs(channel, 1);
    assertEquals(List.of(IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT), events);
  }

  @Test
  void trafficInAQuarterRestartsTheCount() {
    EmbeddedChannel channel = channel();
    advanceMs(channel, 3_500);
    channel.writeInbound("request"); // traffic in the fourth quarter
    advanceMs(channel, 3_000);
    channel.writeOutbound("response"); // and in the third after it
    advanceMs(channel, 4_000);
    assertEquals(List.of(), events, "idle though it saw traffic within the last timeout");
    advanceMs(channel, 1_000); // four whole quarters without traffic since the write at 6.5 s
    assertEquals(List.of(IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT), events);
  }

  @Test
  void anOpenIdleConnectionIsToldAgainEachTimeout() {
    EmbeddedChannel channel = channel();
    advanceMs(channel, 4_000);
    advanceMs(channel, 3_000);
    assertEquals(1, events.size());
    advanceMs(channel, 1_000);
    assertEquals(List.of(IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT, IdleStateEvent.ALL_IDLE_STATE_EVENT), events);
  }

  @Test
  void writesKeepTheirVoidPromise() {
    EmbeddedChannel channel = channel();
    channel.writeAndFlush("response", channel.voidPromise());
    assertEquals(List.of(true), voidPromises, "the write reached the socket with a promise of the handler's");
  }

  @Test
  void aRemovedHandlerNoLongerTimesTheConnection() {
    EmbeddedChannel channel = channel();
    channel.pipeline().remove("idle"); // the connection became a tunnel, which keeps its own timeout
    advanceMs(channel, 20_000);
    assertEquals(List.of(), events);
    assertTrue(channel.isOpen());
  }

  @Test
  void reportsItsTimeoutAsAnAllIdleTimeAndRefusesNone() {
    assertEquals(TIMEOUT_MS, new CallerIdleTimeout(TIMEOUT_MS).getAllIdleTimeInMillis());
    assertThrows(IllegalArgumentException.class, () -> new CallerIdleTimeout(0));
  }
}
