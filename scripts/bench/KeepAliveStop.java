import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * SIGTERM under keep-alive load, for scripts/bench-shutdown.sh ({@code java scripts/bench/KeepAliveStop.java ...}).
 * CALLERS keep-alive connections send GETs in a loop; after WARM seconds the sidecar (PID) gets SIGTERM. Each caller
 * checks, as a pooling HTTP client does, that an idle connection was not closed before it sends on it; after a
 * {@code Connection: close} answer it opens a new connection, and stops once connections are refused. A request that
 * was sent and did not get a whole response is cut. Prints the counts and the timeline after the signal.
 */
public class KeepAliveStop {

  static final AtomicLong completed = new AtomicLong();
  static final AtomicLong completedAfterSignal = new AtomicLong();
  static final AtomicLong cut = new AtomicLong();
  static final AtomicLong toldToClose = new AtomicLong();
  static final AtomicLong closedWhileIdle = new AtomicLong();
  static final AtomicLong refused = new AtomicLong();
  static final AtomicLong lastCompleted = new AtomicLong();
  static volatile long signalAt;

  public static void main(String[] args) throws Exception {
    if (args.length < 5) {
      System.err.println("usage: KeepAliveStop PORT ADMIN_PORT PID CALLERS WARM_SECONDS");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    String health = "http://127.0.0.1:" + args[1] + "/healthcheck";
    ProcessHandle sidecar = ProcessHandle.of(Long.parseLong(args[2])).orElseThrow();
    int callers = Integer.parseInt(args[3]);
    long warmSeconds = Long.parseLong(args[4]);

    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < callers; i++) {
      Thread t = new Thread(() -> callerLoop(port), "caller-" + i);
      t.start();
      threads.add(t);
    }
    // warm up: WARM seconds and at least 20 answers per caller, so that the signal meets a steady load
    long warmEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmSeconds);
    while (System.nanoTime() < warmEnd || completed.get() < 20L * callers) {
      Thread.sleep(50);
    }
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    AtomicLong notReadyAt = new AtomicLong(-1);
    for (int tries = 0; status(http, health) != 200; tries++) {
      if (tries == 20) {
        throw new IllegalStateException("/healthcheck is not 200 before the signal");
      }
      Thread.sleep(250);
    }
    Thread poller = new Thread(() -> {
      while (notReadyAt.get() < 0 && sidecar.isAlive()) {
        if (status(http, health) == 503) {
          notReadyAt.set(System.nanoTime());
        }
      }
    }, "health-poller");
    long before = completed.get();
    signalAt = System.nanoTime();
    poller.start();
    sidecar.destroy(); // SIGTERM
    sidecar.onExit().get();
    long exitedAt = System.nanoTime();
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(30));
    }
    System.out.printf("requests: %d completed (%d before SIGTERM, %d after), %d cut (sent, no whole response)%n",
        completed.get(), before, completedAfterSignal.get(), cut.get());
    System.out.printf("connections: %d answers said Connection: close, %d closed while idle (seen before sending),"
        + " %d reconnects refused%n", toldToClose.get(), closedWhileIdle.get(), refused.get());
    System.out.printf("after SIGTERM: /healthcheck 503 at +%s ms, last 200 at +%d ms, process exited at +%d ms%n",
        notReadyAt.get() < 0 ? "never seen" : String.valueOf(ms(notReadyAt.get() - signalAt)),
        ms(lastCompleted.get() - signalAt),
        ms(exitedAt - signalAt));
    System.out.printf("goal (0 requests cut): %s%n", cut.get() == 0 ? "MET" : "NOT MET");
    System.exit(cut.get() == 0 ? 0 : 1);
  }

  static int status(HttpClient http, String url) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException | InterruptedException e) {
      return -1; // the admin port is gone
    }
  }

  static long ms(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  static void callerLoop(int port) {
    byte[] get = "GET /api/users/42 HTTP/1.1\r\nHost: bench\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    Socket socket = null;
    while (true) {
      try {
        if (socket != null && closedByProxy(socket)) {
          closedWhileIdle.incrementAndGet();
          socket.close();
          socket = null;
        }
        if (socket == null) {
          try {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(30_000);
            socket.setTcpNoDelay(true);
          } catch (IOException e) {
            if (signalAt != 0) {
              refused.incrementAndGet();
              return; // the port is closed: nothing was sent
            }
            Thread.sleep(10);
            continue;
          }
        }
        socket.getOutputStream().write(get);
        String head = readResponse(socket.getInputStream());
        if (head == null) {
          cut.incrementAndGet();
          socket.close();
          socket = null;
          continue;
        }
        completed.incrementAndGet();
        lastCompleted.set(System.nanoTime());
        if (signalAt != 0) {
          completedAfterSignal.incrementAndGet();
        }
        if (head.toLowerCase().contains("connection: close")) {
          toldToClose.incrementAndGet();
          socket.close();
          socket = null;
        }
      } catch (IOException e) {
        cut.incrementAndGet(); // a write or read failed after the request was sent
        socket = null;
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** True when the proxy closed the idle connection: a read that does not wait. */
  static boolean closedByProxy(Socket socket) throws IOException {
    socket.setSoTimeout(1);
    try {
      return socket.getInputStream().read() < 0;
    } catch (SocketTimeoutException open) {
      return false;
    } catch (IOException reset) {
      return true;
    } finally {
      if (!socket.isClosed()) {
        socket.setSoTimeout(30_000);
      }
    }
  }

  /** The head of a whole response (body read too), or null when the connection ended first. */
  static String readResponse(InputStream in) {
    try {
      StringBuilder head = new StringBuilder();
      while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          return null;
        }
        head.append((char) b);
      }
      long length = 0;
      boolean chunked = false;
      for (String line : head.toString().split("\r\n")) {
        String lower = line.toLowerCase();
        if (lower.startsWith("content-length:")) {
          length = Long.parseLong(line.substring(15).trim());
        } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
          chunked = true;
        }
      }
      if (chunked) {
        while (true) {
          StringBuilder size = new StringBuilder();
          int b;
          while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
              size.append((char) b);
            }
          }
          if (b < 0) {
            return null;
          }
          long n = Long.parseLong(size.toString().split(";")[0].trim(), 16);
          if (in.readNBytes((int) n + 2).length != n + 2) {
            return null;
          }
          if (n == 0) {
            return head.toString();
          }
        }
      }
      return in.readNBytes((int) length).length == length ? head.toString() : null;
    } catch (IOException e) {
      return null;
    }
  }
}
