package io.shadowcar.dashboard;

import io.shadowcar.diff.DiffConfig;
import io.shadowcar.diff.ExchangeSample;
import io.shadowcar.diff.HttpHeader;
import io.shadowcar.diff.LatencyComparison;
import io.shadowcar.diff.RequestCopy;
import io.shadowcar.diff.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The exchanges the dashboard tests feed: five endpoints, each with one clear story. Ten of each make every flag
 * decidable with {@link #CONFIG} (five samples per side before a latency or error flag).
 */
public final class Exchanges {

  public static final DiffConfig CONFIG = DiffConfig.defaults().withLatency(new LatencyComparison(1.2, 0, 5, 1.0));
  public static final int ROUNDS = 10;

  public static final String CHANGED = "GET /users/{id}";
  public static final String NOISY = "GET /clock";
  public static final String SAME = "GET /health";
  public static final String FAILING = "POST /orders";
  public static final String SLOWER = "GET /search";

  private static final List<HttpHeader> JSON = List.of(HttpHeader.of("Content-Type", "application/json"));
  private static final AtomicLong IDS = new AtomicLong();

  private Exchanges() {}

  /** One round: one exchange per endpoint. */
  public static List<ExchangeSample> round(int i) {
    return List.of(changedField(i), noisyTimestamp(i), identical(), failingCandidate(i), slowerCandidate());
  }

  /** {@code name} differs in the candidate only: a real difference. */
  public static ExchangeSample changedField(int i) {
    String primary = "{\"id\":" + i + ",\"name\":\"Ada\",\"tags\":[\"a\",\"b\"]}";
    String candidate = "{\"id\":" + i + ",\"name\":\"Ada L.\",\"tags\":[\"a\",\"b\"]}";
    return new ExchangeSample(get("/users/" + (100 + i)), json(200, primary, 10), json(200, candidate, 10),
        json(200, primary, 10));
  }

  /** {@code ts} differs in the candidate and in the secondary: noise. */
  public static ExchangeSample noisyTimestamp(int i) {
    return new ExchangeSample(get("/clock"), json(200, "{\"ts\":" + (1000 + i) + "}", 5),
        json(200, "{\"ts\":" + (2000 + i) + "}", 5), json(200, "{\"ts\":" + (3000 + i) + "}", 5));
  }

  public static ExchangeSample identical() {
    return new ExchangeSample(get("/health"), json(200, "{\"ok\":true}", 2), json(200, "{\"ok\":true}", 2),
        json(200, "{\"ok\":true}", 2));
  }

  /** The candidate answers 500 where the primary answers 201. */
  public static ExchangeSample failingCandidate(int i) {
    RequestCopy request = new RequestCopy("req-" + IDS.incrementAndGet(), "POST", "/orders",
        List.of(HttpHeader.of("Host", "shop.local"), HttpHeader.of("Content-Type", "application/json")),
        ("{\"item\":\"it's " + i + "\"}").getBytes(StandardCharsets.UTF_8));
    return new ExchangeSample(request, json(201, "{\"order\":" + i + "}", 20), json(500, "{\"error\":\"boom\"}", 20),
        json(201, "{\"order\":" + i + "}", 20));
  }

  /** Same answer, three times slower. */
  public static ExchangeSample slowerCandidate() {
    return new ExchangeSample(get("/search?q=x"), json(200, "[1,2,3]", 10), json(200, "[1,2,3]", 30),
        json(200, "[1,2,3]", 10));
  }

  public static RequestCopy get(String uri) {
    return new RequestCopy("req-" + IDS.incrementAndGet(), "GET", uri, List.of(HttpHeader.of("Host", "api.local")),
        null);
  }

  public static Response json(int status, String body, long millis) {
    return new Response.Answer(status, JSON, body.getBytes(StandardCharsets.UTF_8), false,
        Duration.ofMillis(millis).toNanos());
  }

  /** Memory-friendly defaults with a fast flush, so tests see the store without waiting a second. */
  public static DashboardConfig dashboardConfig() {
    return DashboardConfig.defaults().withFlush(Duration.ofMillis(50), 500);
  }
}
