package io.shadowcar.proxy;

import static io.shadowcar.proxy.ProxyHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shadowcar.testkit.LeakDetectionExtension;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.NetServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Trailer fields cross the proxy in both directions: chunked HTTP/1.1 trailers, and HTTP/2 trailing HEADERS. */
@ExtendWith(LeakDetectionExtension.class)
class TrailersTest {

  private static final String CHUNKED_ANSWER = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
      + "Trailer: X-Digest\r\n\r\n5\r\nhello\r\n0\r\nX-Digest: sha-256=abc\r\nX-Count: 1\r\n\r\n";

  private final ProxyHarness harness = new ProxyHarness();

  @AfterEach
  void close() {
    harness.close();
  }

  /** A primary on a raw socket: keeps the bytes of one request (up to the end of its chunked body) and answers. */
  private CompletableFuture<String> rawPrimary(String answer) {
    CompletableFuture<String> received = new CompletableFuture<>();
    NetServer server = harness.vertx.createNetServer().connectHandler(socket -> {
      Buffer seen = Buffer.buffer();
      socket.handler(bytes -> {
        seen.appendBuffer(bytes);
        String text = seen.toString(StandardCharsets.ISO_8859_1);
        int head = text.indexOf("\r\n\r\n");
        if (head > 0 && text.indexOf("\r\n0\r\n", head) > 0 && text.endsWith("\r\n\r\n")
            && text.lastIndexOf("\r\n\r\n") > text.indexOf("\r\n0\r\n", head)) {
          received.complete(text);
          socket.write(answer);
        }
      });
    });
    await(server.listen(0, "127.0.0.1"));
    harness.start(List.of(URI.create("http://127.0.0.1:" + server.actualPort())));
    return received;
  }

  @Test
  void chunkedRequestTrailersReachThePrimaryAndResponseTrailersReachTheCaller() throws Exception {
    CompletableFuture<String> primary = rawPrimary(CHUNKED_ANSWER);
    String answer = harness.raw("POST /upload HTTP/1.1\r\nHost: svc\r\nTransfer-Encoding: chunked\r\n"
        + "Trailer: X-Checksum\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\nX-Checksum: 5d41402a\r\n"
        + "X-Other: two\r\n\r\n");
    String forwarded = primary.get(10, TimeUnit.SECONDS);
    String body = forwarded.substring(forwarded.indexOf("\r\n\r\n") + 4);
    assertEquals("5\r\nhello\r\n0\r\nX-Checksum: 5d41402a\r\nX-Other: two\r\n\r\n", body);
    assertTrue(forwarded.toLowerCase().contains("\r\ntrailer: x-checksum\r\n"), forwarded);

    assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
    String tail = answer.substring(answer.indexOf("\r\n\r\n") + 4);
    assertEquals("5\r\nhello\r\n0\r\nx-digest: sha-256=abc\r\nx-count: 1\r\n\r\n", tail.toLowerCase());
  }

  @Test
  void aChunkedRequestWithoutTrailersStillEndsPlainly() throws Exception {
    CompletableFuture<String> primary = rawPrimary(CHUNKED_ANSWER);
    harness.raw("POST /upload HTTP/1.1\r\nHost: svc\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        + "5\r\nhello\r\n0\r\n\r\n");
    String forwarded = primary.get(10, TimeUnit.SECONDS);
    assertEquals("5\r\nhello\r\n0\r\n\r\n", forwarded.substring(forwarded.indexOf("\r\n\r\n") + 4));
  }

  @Test
  void responseTrailersOfAnHttp1PrimaryBecomeTrailingHeadersForAnHttp2Caller() {
    HttpServer primary = harness.vertx.createHttpServer().requestHandler(req -> req.response().setChunked(true)
        .putTrailer("grpc-status", "0").putTrailer("grpc-message", "fine").end("payload"));
    await(primary.listen(0, "127.0.0.1"));
    harness.start(List.of(URI.create("http://127.0.0.1:" + primary.actualPort())));
    for (HttpClient client : List.of(harness.client, harness.h2cClient())) {
      HttpClientResponse[] response = new HttpClientResponse[1];
      Buffer body = await(client.request(HttpMethod.GET, "/t").compose(req -> req.send()).compose(resp -> {
        response[0] = resp;
        return resp.body();
      }));
      assertEquals("payload", body.toString());
      MultiMap trailers = response[0].trailers();
      assertEquals("0", trailers.get("grpc-status"), response[0].version().toString());
      assertEquals("fine", trailers.get("grpc-message"));
    }
  }
}
