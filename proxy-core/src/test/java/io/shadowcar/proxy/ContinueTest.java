package io.shadowcar.proxy;

import static io.shadowcar.proxy.ProxyHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shadowcar.testkit.LeakDetectionExtension;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.shadowcar.proxy.tap.TrafficTap;
import io.shadowcar.proxy.upstream.TargetSource;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code Expect: 100-continue}: for a body the proxy streams, the primary decides whether the caller sends it; a body
 * small enough to be read ahead is asked for by the proxy itself (as nginx and Envoy do), and the primary gets it
 * without {@code Expect}.
 */
@ExtendWith(LeakDetectionExtension.class)
class ContinueTest {

  private final ProxyHarness harness = new ProxyHarness();

  @AfterEach
  void close() {
    harness.close();
  }

  private void primary(boolean accept) {
    HttpServer server = await(harness.vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1")
            .setHandle100ContinueAutomatically(false))
        .requestHandler(req -> {
          if (!accept) {
            req.response().setStatusCode(417).end("no thanks");
            return;
          }
          assertEquals("100-continue", req.getHeader("Expect"));
          req.response().writeContinue();
          req.body().onSuccess(body -> req.response().end("got:" + body));
        })
        .listen(0, "127.0.0.1"));
    // no read-ahead: every body is streamed, so the primary's answer to Expect is the one the caller sees
    harness.start(ProxyHarness.config().withCallers(new CallerLimits(100, 10_000, 10_000, 0, 0)),
        TargetSource.parse("http://127.0.0.1:" + server.actualPort()), TrafficTap.NONE);
  }

  private HttpClientResponse send(AtomicBoolean continued, Promise<String> body) {
    return await(harness.client.request(HttpMethod.POST, "/upload").compose(req -> {
      req.putHeader("Expect", "100-continue").putHeader("Content-Length", "4");
      req.continueHandler(v -> {
        continued.set(true);
        req.end("data");
      });
      req.sendHead();
      return req.response().onSuccess(resp -> resp.body().map(Object::toString).onComplete(body));
    }));
  }

  @Test
  void relaysThePrimarysContinueBeforeTheBodyIsSent() {
    primary(true);
    AtomicBoolean continued = new AtomicBoolean();
    Promise<String> body = Promise.promise();
    HttpClientResponse response = send(continued, body);
    assertEquals(200, response.statusCode());
    assertEquals("got:data", await(body.future()));
    assertTrue(continued.get());
  }

  @Test
  void relaysThePrimarysRefusalWithoutAskingForTheBody() {
    primary(false);
    AtomicBoolean continued = new AtomicBoolean();
    Promise<String> body = Promise.promise();
    HttpClientResponse response = send(continued, body);
    assertEquals(417, response.statusCode());
    assertEquals("no thanks", await(body.future()));
    assertFalse(continued.get(), "the caller was told to continue although the primary refused");
  }

  @Test
  void asksForABodyItReadsAheadItselfAndForwardsItWithoutExpect() throws Exception {
    Promise<String> expectSeen = Promise.promise();
    HttpServer server = await(harness.vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1")
            .setHandle100ContinueAutomatically(false))
        .requestHandler(req -> {
          expectSeen.tryComplete(String.valueOf(req.getHeader("Expect")));
          req.body().onSuccess(body -> req.response().end("got:" + body));
        })
        .listen(0, "127.0.0.1"));
    harness.start(List.of(URI.create("http://127.0.0.1:" + server.actualPort())));
    try (Socket socket = new Socket("127.0.0.1", harness.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /upload HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 4\r\n"
          + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String interim = new String(in.readNBytes("HTTP/1.1 100 Continue\r\n\r\n".length()), StandardCharsets.US_ASCII);
      assertEquals("HTTP/1.1 100 Continue\r\n\r\n", interim, "the proxy asks for the body before any primary call");
      out.write("data".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
      assertTrue(answer.startsWith("HTTP/1.1 200") && answer.endsWith("got:data"), answer);
    }
    assertEquals("null", await(expectSeen.future()), "Expect reached the primary");
  }
}
