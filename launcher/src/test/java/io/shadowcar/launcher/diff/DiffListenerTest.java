package io.shadowcar.launcher.diff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

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
        Optional.of(ShadowOutcome.answered(answer(200, "s", false, 4)))));

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
        Optional.of(ShadowOutcome.failed(new ConnectException("refused")))));

    assertEquals(FailureKind.CONNECTION_FAILURE,
        assertInstanceOf(Response.Failure.class, sample.primary()).kind());
    assertEquals(FailureKind.TIMEOUT, assertInstanceOf(Response.Failure.class, sample.candidate()).kind());
    assertEquals(FailureKind.CONNECTION_FAILURE, assertInstanceOf(Response.Failure.class, sample.secondary()).kind());
  }

  @Test
  void withoutASecondaryTheSampleHasNone() {
    ExchangeSample sample = DiffListener.sample(new CompletedExchange("http", REQUEST,
        Optional.of(answer(200, "p", false, 1)), Optional.of(ShadowOutcome.answered(answer(200, "p", false, 1))),
        Optional.empty()));
    assertNull(sample.secondary());
  }
}
