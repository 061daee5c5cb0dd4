package io.shadowcar.proxy;

import static io.shadowcar.proxy.H2Caller.fields;
import static io.shadowcar.proxy.ProxyHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.shadowcar.testkit.LeakDetectionExtension;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.impl.ProxyHttp2ClientTrailers;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The bridge into Vert.x's HTTP/2 client that ends a request with trailers. It reaches into Vert.x internals (package
 * members and private fields of {@code HttpClientRequestImpl}), so a Vert.x upgrade that changes them fails here.
 */
@ExtendWith(LeakDetectionExtension.class)
class ProxyHttp2ClientTrailersTest {

  private final Vertx vertx = Vertx.vertx();
  private final H2Primary primary = new H2Primary();
  private final HttpClient client = vertx.createHttpClient(new HttpClientOptions()
      .setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));

  @AfterEach
  void close() {
    primary.close();
    await(vertx.close());
  }

  /** Opens a request to the primary and, on its event loop, lets {@code body} write and end it. */
  private HttpClientRequest request(String path, Function<HttpClientRequest, Future<?>> body) {
    return await(client.request(HttpMethod.POST, primary.port(), "127.0.0.1", path)
        .compose(req -> body.apply(req).map(req)));
  }

  @Test
  void endsTheStreamWithTrailingHeadersAfterTheBodyAndMarksTheRequestEnded() throws Exception {
    MultiMap trailers = HttpHeaders.headers().add("X-Checksum", "5d41402a").add("x-other", "two");
    HttpClientRequest req = request("/upload", r -> {
      r.setChunked(true);
      r.write("hel");
      r.write("lo");
      return ProxyHttp2ClientTrailers.end(r, trailers);
    });
    H2Primary.Received received = primary.next();
    assertEquals("hello", received.bodyText());
    assertEquals(5, received.bodyBytesBeforeTrailers);
    assertEquals(fields("x-checksum", "5d41402a", "x-other", "two"), received.trailers);
    assertEquals(200, await(req.response()).statusCode());

    // ended as by end(): nothing more is written, and the bridge does not end it twice
    assertInstanceOf(IllegalStateException.class, req.write("more").cause());
    assertInstanceOf(IllegalStateException.class, req.end().cause());
    assertNull(ProxyHttp2ClientTrailers.end(req, trailers));
  }

  @Test
  void aRequestWithoutBodyGetsItsHeadersThenItsTrailers() throws Exception {
    HttpClientRequest req = request("/empty", r -> ProxyHttp2ClientTrailers.end(r,
        HttpHeaders.headers().add("x-only", "trailers")));
    H2Primary.Received received = primary.next();
    assertEquals("/empty", received.head.path().toString());
    assertEquals("", received.bodyText());
    assertEquals(fields("x-only", "trailers"), received.trailers);
    assertEquals(200, await(req.response()).statusCode());
    // the connection goes on serving: the stream was closed cleanly
    HttpClientRequest next = request("/next", r -> r.end("again"));
    assertEquals("again", primary.next().bodyText());
    assertEquals(200, await(next.response()).statusCode());
  }

  @Test
  void anHttp1RequestIsNotOneItEnds() {
    // an HTTP/1.1 server of its own: the HTTP/2 primary's first frame, read as an HTTP/1.1 answer, could close the
    // connection before the request is handed over
    HttpServer http1Server = await(vertx.createHttpServer().requestHandler(r -> { }).listen(0, "127.0.0.1"));
    HttpClient http1 = vertx.createHttpClient();
    HttpClientRequest req = await(http1.request(HttpMethod.POST, http1Server.actualPort(), "127.0.0.1", "/"));
    assertNull(ProxyHttp2ClientTrailers.end(req, HttpHeaders.headers().add("x", "y")));
    req.exceptionHandler(resetByUs -> { }).reset();
  }
}
