package io.shadowcar.launcher.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.MultiMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestSenderTest {

  @Test
  void dropsFramingAndHopByHopHeadersAndMarksTheReplay() {
    MultiMap headers = RequestSender.headers(List.of(Map.entry("Host", "h"), Map.entry("Content-Length", "3"),
        Map.entry("transfer-encoding", "chunked"), Map.entry("Connection", "keep-alive, X-Hop"),
        Map.entry("X-Hop", "1"), Map.entry("Proxy-Authorization", "x"), Map.entry("X-Shadow-Request", "true"),
        Map.entry("Accept", "a"), Map.entry("Accept", "b")));

    assertEquals(List.of("Accept", "Accept", "X-Shadow-Request", "X-Replay"),
        headers.entries().stream().map(Map.Entry::getKey).toList());
    assertEquals(List.of("a", "b"), headers.getAll("accept"));
  }
}
