package io.shadowcar.diff;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Not a test: a plain main that compares a typical ~2 KiB JSON exchange N times on one thread (three rounds with a
 * secondary, three without, three with a candidate that answered byte for byte as the primary did), feeds each
 * result to an aggregate, and prints exchanges per second. Run it with the module's classes, its test classes and
 * its dependencies on the class path, as the module README's "Measuring" section does.
 */
public final class EngineThroughput {

  private EngineThroughput() {
  }

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    DiffEngine engine = new DiffEngine(DiffConfig.defaults());
    DiffAggregate aggregate = new DiffAggregate(DiffConfig.defaults());
    ExchangeSample full = sample();
    ExchangeSample pair = ExchangeSample.of(full.request(), full.primary(), full.candidate());
    Response.Answer primary = (Response.Answer) full.primary();
    ExchangeSample identical = ExchangeSample.of(full.request(), primary, new Response.Answer(primary.status(),
        primary.headers(), primary.body().clone(), false, primary.latencyNanos()));
    System.out.printf("body %d bytes, %d exchanges per round%n", primary.body().length, n);
    for (int round = 1; round <= 9; round++) {
      ExchangeSample sample = round <= 3 ? full : round <= 6 ? pair : identical;
      long start = System.nanoTime();
      long differences = 0;
      for (int i = 0; i < n; i++) {
        DiffResult r = engine.compare(sample);
        differences += r.differences().size();
        aggregate.ingest(r);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("round %d, %s: %.0f exchanges/s (%.1f us each, %d differences)%n", round,
          sample == full ? "primary+candidate+secondary" : sample == pair ? "primary+candidate" : "identical pair",
          n / seconds, seconds * 1e6 / n, differences);
    }
  }

  static ExchangeSample sample() {
    StringBuilder items = new StringBuilder();
    for (int i = 0; i < 15; i++) {
      items.append(i == 0 ? "" : ",").append("{\"sku\":\"SKU-").append(1000 + i)
          .append("\",\"title\":\"Item number ").append(i).append("\",\"price\":").append(10 + i).append(".99,")
          .append("\"qty\":").append(i + 1).append(",\"tags\":[\"a\",\"b\",\"c\"],\"updatedAt\":\"2024-05-06T10:00:0")
          .append(i).append("Z\"}");
    }
    String base = "{\"orderId\":\"A-1001\",\"customer\":{\"id\":42,\"name\":\"Ada Lovelace\",\"email\":"
        + "\"ada@example.org\",\"address\":{\"street\":\"12 St James's Square\",\"city\":\"London\",\"zip\":"
        + "\"SW1Y 4JH\"}},\"items\":[" + items + "],\"total\":215.92,\"currency\":\"GBP\",\"status\":\"PAID\","
        + "\"generatedAt\":\"%s\"}";
    List<HttpHeader> headers = List.of(HttpHeader.of("Content-Type", "application/json"),
        HttpHeader.of("Date", "Mon, 06 May 2024 10:00:00 GMT"), HttpHeader.of("Cache-Control", "no-store"),
        HttpHeader.of("X-Request-Id", "abc"));
    Response primary = answer(headers, String.format(base, "t1"));
    Response candidate = answer(headers, String.format(base, "t2").replace("\"zip\":\"SW1Y 4JH\"", "\"zip\":\"SW1Y\""));
    Response secondary = answer(headers, String.format(base, "t3"));
    return new ExchangeSample(RequestCopy.of("r", "GET", "/orders/1001"), primary, candidate, secondary);
  }

  private static Response answer(List<HttpHeader> headers, String body) {
    return new Response.Answer(200, headers, body.getBytes(StandardCharsets.UTF_8), false, 2_000_000);
  }
}
