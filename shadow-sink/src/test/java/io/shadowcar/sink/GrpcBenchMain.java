package io.shadowcar.sink;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The gRPC side of {@code scripts/bench-grpc.sh} (a test-scope main, since {@code ghz} is not packaged):
 *
 * <pre>
 *   server NAME            an {@link EchoGrpc} server on a free port of 127.0.0.1; prints "port N", runs until killed
 *   load PORT SECONDS WARMUP CONCURRENCY BYTES
 *                          unary calls on one HTTP/2 connection to 127.0.0.1:PORT, CONCURRENCY in flight, each
 *                          with a BYTES-long message; WARMUP seconds not measured, then SECONDS measured; prints
 *                          "RESULT rps=.. p50=.. p99=.. p999=.. errors=.." (latencies in microseconds)
 * </pre>
 */
public final class GrpcBenchMain {

  /** Latency buckets of 10 us up to 10 s; slower calls land in the last. */
  private static final int BUCKET_US = 10;
  private static final int BUCKETS = 1_000_000;

  private GrpcBenchMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length >= 2 && args[0].equals("server")) {
      try (EchoGrpc server = new EchoGrpc(args[1], false)) {
        System.out.println("port " + server.port());
        System.out.flush();
        Thread.currentThread().join();
      }
      return;
    }
    if (args.length == 6 && args[0].equals("load")) {
      load(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
          Integer.parseInt(args[4]), Integer.parseInt(args[5]));
      return;
    }
    System.err.println("usage: server NAME | load PORT SECONDS WARMUP CONCURRENCY BYTES");
    System.exit(2);
  }

  private static void load(int port, int seconds, int warmup, int concurrency, int bytes) throws Exception {
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    String message = "x".repeat(bytes);
    AtomicLongArray histogram = new AtomicLongArray(BUCKETS);
    AtomicLong calls = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicBoolean measuring = new AtomicBoolean();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger running = new AtomicInteger(concurrency);
    CountDownLatch done = new CountDownLatch(1);
    Runnable[] next = new Runnable[1];
    next[0] = () -> {
      if (stop.get()) {
        if (running.decrementAndGet() == 0) {
          done.countDown();
        }
        return;
      }
      long start = System.nanoTime();
      ClientCalls.asyncUnaryCall(channel.newCall(EchoGrpc.UNARY, CallOptions.DEFAULT), message,
          new StreamObserver<>() {
            @Override
            public void onNext(String value) {}

            @Override
            public void onError(Throwable t) {
              if (measuring.get()) {
                errors.incrementAndGet();
              }
              next[0].run();
            }

            @Override
            public void onCompleted() {
              if (measuring.get()) {
                long us = (System.nanoTime() - start) / 1000;
                histogram.incrementAndGet((int) Math.min(BUCKETS - 1, us / BUCKET_US));
                calls.incrementAndGet();
              }
              next[0].run();
            }
          });
    };
    for (int i = 0; i < concurrency; i++) {
      next[0].run();
    }
    Thread.sleep(TimeUnit.SECONDS.toMillis(warmup));
    measuring.set(true);
    long begin = System.nanoTime();
    Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
    measuring.set(false);
    double elapsed = (System.nanoTime() - begin) / 1e9;
    stop.set(true);
    done.await(30, TimeUnit.SECONDS);
    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    long[] counts = new long[BUCKETS];
    Arrays.setAll(counts, histogram::get);
    long total = Arrays.stream(counts).sum();
    System.out.printf("RESULT rps=%.0f p50=%d p99=%d p999=%d errors=%d%n", calls.get() / elapsed,
        percentile(counts, total, 0.50), percentile(counts, total, 0.99), percentile(counts, total, 0.999),
        errors.get());
  }

  /** The upper edge, in microseconds, of the bucket holding the {@code q} quantile. */
  private static long percentile(long[] counts, long total, double q) {
    long rank = (long) Math.ceil(total * q);
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank && rank > 0) {
        return (long) (i + 1) * BUCKET_US;
      }
    }
    return 0;
  }
}
