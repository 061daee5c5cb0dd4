package io.shadowcar.proxy;

import static io.shadowcar.proxy.ProxyHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shadowcar.testkit.LeakDetectionExtension;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 200 MB each way through the proxy in a JVM whose heap and direct memory are capped far below that (the failsafe
 * argLine of this module): passes only if the proxy streams with back-pressure instead of buffering bodies.
 */
@ExtendWith(LeakDetectionExtension.class)
class LargeBodyStreamingIT {

  private static final long SIZE = 200L * 1024 * 1024;
  private static final int CHUNK = 64 * 1024;
  private static final byte[] PATTERN = new byte[CHUNK];
  private static final long STALL_EVERY = 40L * 1024 * 1024;

  static {
    for (int i = 0; i < CHUNK; i++) {
      PATTERN[i] = (byte) (i * 31 + 7);
    }
  }

  private final ProxyHarness harness = new ProxyHarness();

  @BeforeAll
  static void memoryIsReallyCapped() {
    long heap = Runtime.getRuntime().maxMemory();
    assertTrue(heap < SIZE / 2, "the heap must be far smaller than the body for this test to prove anything: " + heap);
    assertTrue(ManagementFactory.getRuntimeMXBean().getInputArguments().contains("-XX:MaxDirectMemorySize=64m"),
        "direct memory must be capped too");
  }

  @AfterEach
  void close() {
    harness.close();
  }

  /** Writes {@code SIZE} pattern bytes, waiting for drain whenever the stream's queue is full. */
  private static void pump(WriteStream<Buffer> out, long[] sent) {
    while (sent[0] < SIZE && !out.writeQueueFull()) {
      out.write(Buffer.buffer(PATTERN));
      sent[0] += CHUNK;
    }
    if (sent[0] < SIZE) {
      out.drainHandler(v -> pump(out, sent));
    } else {
      out.end();
    }
  }

  /**
   * A reader that stops for a while after every 40 MB: without back-pressure the proxy would keep reading from the
   * fast side meanwhile and pile up far more than the memory cap.
   */
  private void stall(ReadStream<Buffer> in, long received, int last) {
    if (received / STALL_EVERY != (received - last) / STALL_EVERY) {
      in.pause();
      harness.vertx.setTimer(1_000, id -> in.resume());
    }
  }

  private static long expectedCrc() {
    CRC32 crc = new CRC32();
    for (long at = 0; at < SIZE; at += CHUNK) {
      crc.update(PATTERN);
    }
    return crc.getValue();
  }

  private void startPrimary(io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest> handler) {
    HttpServer server = await(harness.vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1"))
        .requestHandler(handler).listen(0, "127.0.0.1"));
    harness.start(List.of(URI.create("http://127.0.0.1:" + server.actualPort())));
  }

  @Test
  void streamsA200MegabyteUploadWithBoundedMemory() {
    startPrimary(req -> {
      CRC32 crc = new CRC32();
      long[] received = {0};
      req.handler(chunk -> {
        received[0] += chunk.length();
        crc.update(chunk.getBytes());
        stall(req, received[0], chunk.length());
      });
      req.endHandler(v -> req.response().end(received[0] + ":" + crc.getValue()));
    });
    String answer = await(harness.client.request(HttpMethod.PUT, "/upload").compose(req -> {
      req.putHeader("Content-Length", Long.toString(SIZE));
      pump(req, new long[1]);
      return req.response().compose(resp -> resp.body());
    })).toString();
    assertEquals(SIZE + ":" + expectedCrc(), answer);
  }

  @Test
  void streamsA200MegabyteDownloadWithBoundedMemory() {
    startPrimary(req -> {
      req.response().setChunked(true);
      pump(req.response(), new long[1]);
    });
    Promise<String> result = Promise.promise();
    harness.client.request(HttpMethod.GET, "/download").compose(req -> req.send().onSuccess(resp -> {
      CRC32 crc = new CRC32();
      long[] received = {0};
      resp.handler(chunk -> {
        received[0] += chunk.length();
        crc.update(chunk.getBytes());
        stall(resp, received[0], chunk.length());
      });
      resp.endHandler(v -> result.complete(received[0] + ":" + crc.getValue()));
      resp.exceptionHandler(result::fail);
    })).onFailure(result::fail);
    assertEquals(SIZE + ":" + expectedCrc(), await(result.future()));
  }
}
