package io.shadowcar.diff;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Small builders for test exchanges. */
final class Exchanges {

  private Exchanges() {
  }

  static Response.Answer json(String body) {
    return json(200, body, 0);
  }

  static Response.Answer json(int status, String body, long latencyNanos) {
    return new Response.Answer(status, List.of(HttpHeader.of("Content-Type", "application/json")),
        body.getBytes(StandardCharsets.UTF_8), false, latencyNanos);
  }

  static Response.Answer withHeaders(List<HttpHeader> headers) {
    return new Response.Answer(200, headers, new byte[0], false, 0);
  }

  static ExchangeSample get(String uri, Response primary, Response candidate, Response secondary) {
    return new ExchangeSample(RequestCopy.of("r", "GET", uri), primary, candidate, secondary);
  }
}
