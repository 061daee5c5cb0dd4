package io.vertx.core.http.impl;

import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * The Netty channel under a request to an upstream, whichever way the request was made: {@code request.connection()}
 * is the connection itself for pooled requests, but a wrapper for requests made on a connection of our own
 * ({@code HttpClientAgent.connect}), so the request's stream is asked instead. In Vert.x's package because the stream
 * is only visible there; a Vert.x upgrade that moves it breaks compilation here, not behaviour at run time.
 */
public final class UpstreamChannels {

  private UpstreamChannels() {
  }

  /** The channel context of {@code request}'s connection, or {@code null} when it has none (not a Vert.x one). */
  public static ChannelHandlerContext of(HttpClientRequest request) {
    if (request instanceof HttpClientRequestBase base && base.stream.connection() instanceof ConnectionBase conn) {
      return conn.channelHandlerContext();
    }
    return null;
  }
}
