import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The slow-upload attack against a proxy on loopback, with normal GETs measured meanwhile. Run by
 * scripts/bench-slow-clients.sh with the JDK alone ({@code java scripts/bench/SlowCallers.java ...}).
 *
 * <p>UPLOADERS connections each send a POST head with {@code Content-Length: BODY} and then one byte every
 * TRICKLE_SECONDS, never finishing within the run. CALLERS keep-alive connections send GETs in a loop, one at a time
 * each, for SECONDS; every GET gets a 10 s read timeout. Prints the share of GETs answered 200 and their p50/p99/max
 * latency, and whether the goal (100 % 200, p99 under 100 ms) was met.
 */
public class SlowCallers {

  public static void main(String[] args) throws Exception {
    if (args.length < 6) {
      System.err.println("usage: SlowCallers PORT GET_PATH UPLOADERS BODY_BYTES CALLERS SECONDS [TRICKLE_SECONDS]");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    String path = args[1];
    int uploaders = Integer.parseInt(args[2]);
    int bodyBytes = Integer.parseInt(args[3]);
    int callers = Integer.parseInt(args[4]);
    long seconds = Long.parseLong(args[5]);
    long trickleMs = (args.length > 6 ? Long.parseLong(args[6]) : 5) * 1000;

    List<Socket> uploads = new ArrayList<>();
    long failedUploads = 0;
    for (int i = 0; i < uploaders; i++) {
      try {
        Socket s = new Socket("127.0.0.1", port);
        s.getOutputStream().write(("POST /api/orders HTTP/1.1\r\nHost: bench\r\nContent-Type: text/plain\r\n"
            + "Content-Length: " + bodyBytes + "\r\n\r\nx").getBytes(StandardCharsets.US_ASCII));
        uploads.add(s);
      } catch (IOException e) {
        failedUploads++;
      }
    }
    System.out.printf("attack: %d slow uploads open (%d failed to open), Content-Length %d, 1 byte every %d s%n",
        uploads.size(), failedUploads, bodyBytes, trickleMs / 1000);
    Thread trickle = new Thread(() -> {
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds + 5);
      while (System.nanoTime() < until) {
        for (Socket s : uploads) {
          try {
            s.getOutputStream().write('x');
          } catch (IOException e) {
            // closed by the proxy (408 or idle): it no longer holds anything
          }
        }
        try {
          Thread.sleep(trickleMs);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "trickle");
    trickle.setDaemon(true);
    trickle.start();
    Thread.sleep(1_000); // let every upload head arrive before measuring

    long[][] latencies = new long[callers][];
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<java.util.concurrent.Future<long[]>> results = new ArrayList<>();
    for (int c = 0; c < callers; c++) {
      results.add(pool.submit(() -> getLoop(port, path, end, ok, failed)));
    }
    List<Long> all = new ArrayList<>();
    for (java.util.concurrent.Future<long[]> r : results) {
      for (long l : r.get()) {
        all.add(l);
      }
    }
    pool.shutdownNow();
    long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
    long total = ok.get() + failed.get();
    double okPercent = total == 0 ? 0 : 100.0 * ok.get() / total;
    double p50 = percentile(sorted, 50);
    double p99 = percentile(sorted, 99);
    double max = sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6;
    System.out.printf("GETs: %d sent, %d answered 200 (%.2f %%), %d failed (timeout, error status or closed)%n",
        total, ok.get(), okPercent, failed.get());
    System.out.printf("GET latency (200s): p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", p50, p99, max);
    boolean goal = failed.get() == 0 && total > 0 && p99 < 100;
    System.out.printf("goal (100 %% of GETs 200, p99 < 100 ms): %s%n", goal ? "MET" : "NOT MET");
    for (Socket s : uploads) {
      s.close();
    }
    System.exit(goal ? 0 : 1);
  }

  /** One keep-alive connection sending GETs until {@code end}; returns the latencies (ns) of the 200s. */
  static long[] getLoop(int port, String path, long end, AtomicLong ok, AtomicLong failed) {
    byte[] get = ("GET " + path + " HTTP/1.1\r\nHost: bench\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    long[] lat = new long[1 << 16];
    int n = 0;
    Socket socket = null;
    while (System.nanoTime() < end) {
      long start = System.nanoTime();
      try {
        if (socket == null) {
          socket = new Socket("127.0.0.1", port);
          socket.setSoTimeout(10_000);
          socket.setTcpNoDelay(true);
        }
        OutputStream out = socket.getOutputStream();
        out.write(get);
        int status = readResponse(socket.getInputStream());
        long took = System.nanoTime() - start;
        if (status == 200) {
          ok.incrementAndGet();
          if (n == lat.length) {
            lat = Arrays.copyOf(lat, n * 2);
          }
          lat[n++] = took;
        } else {
          failed.incrementAndGet();
          socket.close();
          socket = null;
        }
      } catch (IOException e) {
        failed.incrementAndGet();
        try {
          if (socket != null) {
            socket.close();
          }
        } catch (IOException ignored) {
          // gone already
        }
        socket = null;
      }
    }
    try {
      if (socket != null) {
        socket.close();
      }
    } catch (IOException ignored) {
      // gone already
    }
    return Arrays.copyOf(lat, n);
  }

  /** Reads one response (Content-Length or chunked body) and returns its status. */
  static int readResponse(InputStream in) throws IOException {
    String head = readHead(in);
    int status = Integer.parseInt(head.substring(9, 12));
    long length = -1;
    boolean chunked = false;
    for (String line : head.split("\r\n")) {
      String lower = line.toLowerCase();
      if (lower.startsWith("content-length:")) {
        length = Long.parseLong(line.substring(15).trim());
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      }
    }
    if (chunked) {
      while (true) {
        String size = readLine(in);
        long n = Long.parseLong(size.split(";")[0].trim(), 16);
        in.readNBytes((int) n + 2);
        if (n == 0) {
          break;
        }
      }
    } else if (length > 0) {
      if (in.readNBytes((int) length).length != length) {
        throw new IOException("closed mid-body");
      }
    }
    return status;
  }

  static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed before a whole head");
      }
      head.append((char) b);
    }
    return head.toString();
  }

  static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }

  static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
  }
}
