package io.shadowcar.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shadowcar.launcher.config.ConfigLoader;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stop sequence under keep-alive load, in-process: on stop the health endpoints turn 503 while traffic is still
 * served for the not-ready delay, then the remaining requests are answered with {@code Connection: close}; every
 * request a caller sent gets its whole response. A caller only ever finds its connection closed before it sends
 * (checked as a pooling HTTP client does) or its new connection refused.
 */
class GracefulStopTest {

  private static final int CALLERS = 16;
  private static final long NOT_READY_DELAY_MS = 2_000;

  @TempDir Path dir;
  private final Vertx vertx = Vertx.vertx();
  private final ExecutorService pool = Executors.newFixedThreadPool(CALLERS + 1);
  private final HttpClient admin = HttpClient.newHttpClient();

  @AfterEach
  void close() {
    pool.shutdownNow();
    vertx.close().await();
  }

  @Test
  void turnsNotReadyKeepsServingThenClosesEveryConnectionAfterAWholeResponse() throws Exception {
    HttpServer primary = vertx.createHttpServer()
        .requestHandler(req -> vertx.setTimer(2, id -> req.response().end("ok")))
        .listen(0, "127.0.0.1").await();
    int adminPort = freePort();
    Path config = Files.writeString(dir.resolve("sidecar.properties"), String.join("\n",
        "shadowcar.proxy.host=127.0.0.1", "shadowcar.proxy.port=0", "shadowcar.proxy.eventLoops=2",
        "shadowcar.admin.port=" + adminPort, "shadowcar.data.dir=" + dir.resolve("data"),
        "shadowcar.primary.targets=http://127.0.0.1:" + primary.actualPort(),
        "shadowcar.proxy.drainSeconds=10",
        "shadowcar.proxy.shutdown.notReadyDelay.ms=" + NOT_READY_DELAY_MS, ""));
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Sidecar sidecar = new Sidecar(ConfigLoader.load(Optional.of(config), registry), registry);
    sidecar.start();
    String healthcheck = "http://127.0.0.1:" + adminPort + "/healthcheck";
    await().atMost(Duration.ofSeconds(30)).until(() -> status(healthcheck) == 200);

    List<Caller> callers = new ArrayList<>();
    List<Future<?>> running = new ArrayList<>();
    for (int i = 0; i < CALLERS; i++) {
      Caller caller = new Caller(sidecar.proxyPort());
      callers.add(caller);
      running.add(pool.submit(caller));
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> total(callers, c -> c.completed) >= 200);

    long stopAsked = System.nanoTime();
    CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(sidecar::stop, pool);
    await().atMost(Duration.ofSeconds(10)).until(() -> status(healthcheck) == 503);
    long notReadySeen = System.nanoTime();
    await().atMost(Duration.ofSeconds(10)).until(() -> total(callers, c -> c.lastCompletedNanos) > 0
        && callers.stream().anyMatch(c -> c.lastCompletedNanos.get() > notReadySeen));

    assertTrue(stopped.get(60, TimeUnit.SECONDS), "the stop reported a failed step");
    long stopMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopAsked);
    for (Future<?> caller : running) {
      caller.get(30, TimeUnit.SECONDS);
    }
    assertEquals(0, total(callers, c -> c.cut), "requests sent without a whole response");
    assertTrue(total(callers, c -> c.toldToClose) > 0, "no response said Connection: close");
    assertTrue(stopMs >= NOT_READY_DELAY_MS, "stopped after " + stopMs + " ms, before the not-ready delay");
  }

  private static long total(List<Caller> callers, java.util.function.Function<Caller, AtomicLong> counter) {
    return callers.stream().mapToLong(c -> counter.apply(c).get()).sum();
  }

  private int status(String url) throws IOException, InterruptedException {
    return admin.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /**
   * One keep-alive caller in a request-response loop: before each request it checks, as a pooling client does, that
   * the proxy has not closed the idle connection; after {@code Connection: close} it opens a new one; a refused
   * connection ends it.
   */
  private static final class Caller implements Runnable {

    private static final byte[] GET = "GET /item HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    final AtomicLong completed = new AtomicLong();
    final AtomicLong cut = new AtomicLong();
    final AtomicLong toldToClose = new AtomicLong();
    final AtomicLong lastCompletedNanos = new AtomicLong();
    private final int port;

    Caller(int port) {
      this.port = port;
    }

    @Override
    public void run() {
      Socket socket = null;
      try {
        while (!Thread.currentThread().isInterrupted()) {
          if (socket == null || closedByProxy(socket)) {
            close(socket);
            socket = connect();
            if (socket == null) {
              return; // refused: the port is closed, the request was never sent
            }
          }
          socket.getOutputStream().write(GET);
          String head = readResponse(socket.getInputStream());
          if (head == null) {
            cut.incrementAndGet();
            close(socket);
            socket = null;
            continue;
          }
          completed.incrementAndGet();
          lastCompletedNanos.set(System.nanoTime());
          if (head.toLowerCase().contains("connection: close")) {
            toldToClose.incrementAndGet();
            close(socket);
            socket = null;
          }
        }
      } catch (IOException e) {
        cut.incrementAndGet(); // a write or read that failed after the request was sent
      } finally {
        close(socket);
      }
    }

    private Socket connect() {
      try {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(20_000);
        return socket;
      } catch (IOException refused) {
        return null;
      }
    }

    /** True when the proxy closed the connection while it was idle: read without waiting. */
    private static boolean closedByProxy(Socket socket) throws IOException {
      socket.setSoTimeout(1);
      try {
        int b = socket.getInputStream().read();
        if (b >= 0) {
          throw new IOException("unexpected byte on an idle connection: " + b);
        }
        return true;
      } catch (SocketTimeoutException stillOpen) {
        return false;
      } catch (IOException reset) {
        return true;
      } finally {
        if (!socket.isClosed()) {
          socket.setSoTimeout(20_000);
        }
      }
    }

    /** The head of a whole response (its body read too), or {@code null} when the connection ended before. */
    private static String readResponse(InputStream in) {
      try {
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
          int b = in.read();
          if (b < 0) {
            return null;
          }
          head.append((char) b);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
          if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
            length = Integer.parseInt(line.substring(15).trim());
          }
        }
        return in.readNBytes(length).length == length ? head.toString() : null;
      } catch (IOException e) {
        return null;
      }
    }

    private static void close(Socket socket) {
      if (socket != null) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // closing a socket the proxy already closed
        }
      }
    }
  }
}
