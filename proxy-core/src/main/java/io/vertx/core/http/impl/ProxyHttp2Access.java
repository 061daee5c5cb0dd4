package io.vertx.core.http.impl;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.Handler;
import io.vertx.core.ThreadingModel;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.impl.VertxHandler;

/**
 * shadowcar's one bridge into Vert.x's package-private HTTP server wiring (Vert.x 5.0). The traffic port runs
 * Vert.x's HTTP server with its cleartext HTTP/2 detection turned off, so that every connection gets the proxy's
 * strict HTTP/1.1 decoder before its first byte is read (with detection on, Vert.x builds the HTTP/1.1 pipeline only
 * after decoding the first request, with its own decoder). This class then gives back the two HTTP/2 entries that
 * turning detection off removes, built by Vert.x's own code: the HTTP/2 connection for a caller whose first bytes
 * are the prior-knowledge preface, and the {@code Upgrade: h2c} handler.
 *
 * <p>It lives in Vert.x's package so that a Vert.x upgrade that changes these internals fails the build, not the
 * traffic. Do not use it for anything else.
 */
public final class ProxyHttp2Access {

  private final HttpServerConnectionInitializer initializer;

  /**
   * @param server the traffic port's server (created by {@code vertx.createHttpServer})
   * @param context the event-loop context the server listens on
   * @param serverOrigin {@code http://host:port} of the server
   */
  public ProxyHttp2Access(HttpServer server, HttpServerOptions options, ContextInternal context, String serverOrigin,
      Handler<HttpServerRequest> requestHandler, Handler<HttpServerRequest> invalidRequestHandler,
      Handler<HttpConnection> connectionHandler, Handler<Throwable> exceptionHandler) {
    HttpServerImpl impl = (HttpServerImpl) server;
    HttpServerConnectionHandler connections = new HttpServerConnectionHandler(impl, requestHandler,
        invalidRequestHandler, null, null, connectionHandler, exceptionHandler);
    initializer = new HttpServerConnectionInitializer(context, ThreadingModel.EVENT_LOOP, context::duplicate, impl,
        context.owner(), options, serverOrigin, connections, exceptionHandler, null);
  }

  /**
   * Turns a connection set up for HTTP/1.x, none of whose bytes were decoded yet, into Vert.x's HTTP/2 server
   * connection; the caller then passes the buffered preface on.
   */
  public void switchToHttp2(ChannelPipeline pipeline) {
    pipeline.remove("httpDecoder");
    pipeline.remove("httpEncoder");
    pipeline.replace(VertxHandler.class, "handler", initializer.buildHttp2ConnectionHandler());
    initializer.configureHttp2Pipeline(pipeline);
  }

  /** Vert.x's handler answering {@code Upgrade: h2c} with 101; place it after {@code httpEncoder}. */
  public ChannelHandler h2cUpgradeHandler() {
    return new Http1xUpgradeToH2CHandler(initializer, null, null, false, false);
  }
}
