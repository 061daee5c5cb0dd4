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
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code Expect: 100-continue} is decided by the primary, not by the proxy. */
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
    harness.start(List.of(URI.create("http://127.0.0.1:" + server.actualPort())));
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
}
