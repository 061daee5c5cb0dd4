package io.shadowcar.launcher.diff;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shadowcar.common.headers.HeaderMask;
import io.shadowcar.dashboard.DashboardConfig;
import io.shadowcar.dashboard.DiffRecorder;
import io.shadowcar.dashboard.RecordingPolicy;
import io.shadowcar.dashboard.StoredExchange;
import io.shadowcar.diff.DiffConfig;
import io.shadowcar.diff.ExchangeSample;
import io.shadowcar.diff.FailureKind;
import io.shadowcar.diff.HttpHeader;
import io.shadowcar.diff.Response;
import io.shadowcar.sink.observe.CompletedExchange;
import io.shadowcar.sink.observe.RequestCopy;
import io.shadowcar.sink.observe.ShadowOutcome;
import io.shadowcar.tee.CapturedResponse;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiffListenerTest {

  private static final RequestCopy REQUEST = new RequestCopy("rid-1", HttpMethod.POST, "/users/7?x=1", "default",
      List.of(Map.entry("Content-Type", "application/json")), Buffer.buffer("{\"a\":1}"));

  private static CapturedResponse answer(int status, String body, boolean truncated, long millis) {
    return new CapturedResponse(status, List.of(Map.entry("X-V", "1"), Map.entry("X-V", "2")), Buffer.buffer(body),
        truncated, body.length(), Duration.ofMillis(millis));
  }

  @Test
  void carriesTheRequestAndEveryAnswerWithHeadersBodiesTruncationAndLatency() {
    ExchangeSample sample = DiffListener.sample(new CompletedExchange("http", REQUEST,
        Optional.of(answer(200, "p", false, 3)), Optional.of(ShadowOutcome.answered(answer(201, "c", true, 9))),
        Optional.of(ShadowOutcome.answered(answer(200, "s", false, 4)))), HeaderMask.none());

    assertEquals("rid-1", sample.request().requestId());
    assertEquals("POST", sample.request().method());
    assertEquals("/users/7?x=1", sample.request().uri());
    assertEquals(List.of(new HttpHeader("Content-Type", "application/json")), sample.request().headers());
    assertArrayEquals("{\"a\":1}".getBytes(), sample.request().body());
    Response.Answer candidate = assertInstanceOf(Response.Answer.class, sample.candidate());
    assertEquals(201, candidate.status());
    assertEquals(List.of(new HttpHeader("X-V", "1"), new HttpHeader("X-V", "2")), candidate.headers());
    assertArrayEquals("c".getBytes(), candidate.body());
    assertEquals(true, candidate.truncated());
    assertEquals(Duration.ofMillis(9).toNanos(), candidate.latencyNanos());
    assertEquals(200, assertInstanceOf(Response.Answer.class, sample.primary()).status());
    assertArrayEquals("s".getBytes(), assertInstanceOf(Response.Answer.class, sample.secondary()).body());
  }

  @Test
  void mapsFailuresByKindAndAMissingPrimaryToAConnectionFailure() {
    ExchangeSample sample = DiffListener.sample(new CompletedExchange("http", REQUEST, Optional.empty(),
        Optional.of(ShadowOutcome.failed(new TimeoutException("late"))),
        Optional.of(ShadowOutcome.failed(new ConnectException("refused")))), HeaderMask.none());

    assertEquals(FailureKind.CONNECTION_FAILURE,
        assertInstanceOf(Response.Failure.class, sample.primary()).kind());
    assertEquals(FailureKind.TIMEOUT, assertInstanceOf(Response.Failure.class, sample.candidate()).kind());
    assertEquals(FailureKind.CONNECTION_FAILURE, assertInstanceOf(Response.Failure.class, sample.secondary()).kind());
  }

  @Test
  void withoutASecondaryTheSampleHasNone() {
    ExchangeSample sample = DiffListener.sample(new CompletedExchange("http", REQUEST,
        Optional.of(answer(200, "p", false, 1)), Optional.of(ShadowOutcome.answered(answer(200, "p", false, 1))),
        Optional.empty()), HeaderMask.none());
    assertNull(sample.secondary());
  }

  @Test
  void theStoreKeepsOnlyMasksOfSensitiveHeadersAndEqualValuesStillCompareEqual(@TempDir Path dataDir)
      throws Exception {
    HeaderMask mask = HeaderMask.of(List.of("Authorization", "X-Session", "X-Tenant"),
        "a-deployment-key-of-32-bytes!!!!".getBytes(StandardCharsets.US_ASCII));
    DiffRecorder recorder = DiffRecorder.start(DiffConfig.defaults(), new RecordingPolicy(true, 100),
        DashboardConfig.defaults(), dataDir, new SimpleMeterRegistry());
    RequestCopy request = new RequestCopy("rid-m", HttpMethod.GET, "/users/7", "default",
        List.of(Map.entry("Authorization", "Bearer s3cret-token")), Buffer.buffer(""));
    new DiffListener(recorder, mask).onExchange(new CompletedExchange("http", request,
        Optional.of(sessionAnswer("tenant-s3cret-a", "{\"a\":1}")),
        Optional.of(ShadowOutcome.answered(sessionAnswer("tenant-s3cret-b", "{\"a\":2}"))), Optional.empty()));

    String endpoint = "GET /users/{id}";
    await().atMost(Duration.ofSeconds(30)).until(() -> !recorder.samples(endpoint, "#different", 0).isEmpty());
    StoredExchange stored = recorder.samples(endpoint, "#different", 0).get(0);
    assertEquals(List.of(new HttpHeader("Authorization", mask.mask("Bearer s3cret-token"))),
        stored.request().headers());
    List<String> paths = stored.differences().stream().map(d -> d.path()).toList();
    assertFalse(paths.contains("header.x-session"), "an equal value masks equally on both sides: " + paths);
    assertTrue(paths.contains("header.x-tenant"), "different values still differ: " + paths);
    recorder.close();
    try (var files = Files.walk(dataDir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertFalse(bytes.contains("s3cret"), file + " holds a secret");
      }
    }
  }

  private static CapturedResponse sessionAnswer(String tenant, String body) {
    return new CapturedResponse(200, List.of(Map.entry("X-Session", "session-s3cret"), Map.entry("X-Tenant", tenant),
        Map.entry("Content-Type", "application/json")), Buffer.buffer(body), false, body.length(),
        Duration.ofMillis(1));
  }
}
