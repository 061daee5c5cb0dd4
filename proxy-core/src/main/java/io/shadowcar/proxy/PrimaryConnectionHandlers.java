package io.shadowcar.proxy;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import java.util.function.Supplier;

/**
 * Handlers of the proxy's own on a primary's HTTP/1.x connection ({@link Trailers}, {@link DirectResponseBody}),
 * placed right after Vert.x's client codec, where they see the requests before they are encoded and the responses as
 * they were decoded.
 */
final class PrimaryConnectionHandlers {

  /** Vert.x's name for the HTTP/1.x client codec. */
  private static final String CODEC = "codec";

  private PrimaryConnectionHandlers() {
  }

  /**
   * The handler named {@code name} on {@code channel}'s pipeline, made by {@code create} and added after the codec at
   * the first call; {@code null} when there is no channel or it has no codec (an HTTP/2 connection, or a Vert.x whose
   * pipeline is not the one this was built against).
   */
  @SuppressWarnings("unchecked")
  static <T extends ChannelHandler> T afterCodec(ChannelHandlerContext channel, String name, Supplier<T> create) {
    if (channel == null) {
      return null;
    }
    ChannelPipeline pipeline = channel.pipeline();
    ChannelHandler installed = pipeline.get(name);
    if (installed != null) {
      return (T) installed;
    }
    if (pipeline.get(CODEC) == null) {
      return null;
    }
    T handler = create.get();
    pipeline.addAfter(CODEC, name, handler);
    return handler;
  }
}
