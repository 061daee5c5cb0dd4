package io.shadowcar.dashboard.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shadowcar.dashboard.StoredBody;
import io.shadowcar.dashboard.StoredRequest;
import io.shadowcar.diff.HttpHeader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CurlCommandTest {

  private static StoredRequest request(String method, String uri, List<HttpHeader> headers, byte[] body, int max) {
    return new StoredRequest("r", method, uri, headers, StoredBody.of(body, false, max));
  }

  @Test
  void quotesEverythingForTheShellAndLeavesOutHopByHopHeaders() {
    StoredRequest r = request("PUT", "/a?b=1&c=$HOME", List.of(HttpHeader.of("Host", "svc:8080"),
        HttpHeader.of("Content-Length", "9"), HttpHeader.of("X-Note", "it's")),
        "{\"a\":\"'\"}".getBytes(StandardCharsets.UTF_8), 100);
    assertEquals("curl -sS -X PUT 'http://svc:8080/a?b=1&c=$HOME' -H 'X-Note: it'\\''s' --data-binary "
        + "'{\"a\":\"'\\''\"}'", CurlCommand.of(r));
  }

  @Test
  void pipesABinaryBodyThroughBase64AndSaysWhenItWasCut() {
    StoredRequest r = request("POST", "http://h/x", List.of(), new byte[] {(byte) 0xff, 0, 1, 2}, 3);
    assertEquals("printf %s '/wAB' | base64 -d | curl -sS -X POST 'http://h/x' --data-binary @-"
        + "  # body cut: the original had 4 bytes", CurlCommand.of(r));
  }

  @Test
  void usesHeadForHeadAndLocalhostWithoutAHost() {
    assertEquals("curl -sS --head 'http://localhost/ping'", CurlCommand.of(request("HEAD", "/ping", List.of(),
        new byte[0], 10)));
  }
}
