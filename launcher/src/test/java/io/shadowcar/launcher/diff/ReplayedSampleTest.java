package io.shadowcar.launcher.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.shadowcar.common.headers.HeaderMask;
import io.shadowcar.diff.ExchangeSample;
import io.shadowcar.diff.HttpHeader;
import io.shadowcar.diff.Response;
import io.shadowcar.sink.kafka.RecordedExchange;
import io.shadowcar.tee.CapturedResponse;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A diff worker masks what it publishes with the deployment's key, like the sidecars. */
class ReplayedSampleTest {

  private static final HeaderMask MASK = HeaderMask.of(List.of("Authorization", "Set-Cookie"),
      "one-key-for-sidecars-and-workers".getBytes(StandardCharsets.US_ASCII));

  private static CapturedResponse answer(String cookie) {
    return new CapturedResponse(200, List.of(Map.entry("Set-Cookie", cookie)), Buffer.buffer("{}"), false, 2,
        Duration.ofMillis(1));
  }

  @Test
  void masksTheCandidatesAnswersLikeTheSidecarMaskedTheRecordSoEqualValuesStayEqual() {
    // what a sidecar with the same key published: its masks, already applied
    RecordedExchange recorded = new RecordedExchange("rid-w", 1L, "default", "GET", "/users/1",
        MASK.apply(List.of(Map.entry("Authorization", "Bearer t"))), Buffer.buffer(""),
        Optional.of(new CapturedResponse(200, MASK.apply(List.of(Map.entry("Set-Cookie", "sid=1"))),
            Buffer.buffer("{}"), false, 2, Duration.ofMillis(1))), Optional.empty());

    ExchangeSample sample = ReplayedSample.of(recorded, Future.succeededFuture(answer("sid=1")), 1_000,
        Future.succeededFuture(answer("sid=2")), 1_000, MASK);

    assertEquals(List.of(new HttpHeader("Authorization", MASK.mask("Bearer t"))), sample.request().headers(),
        "a value masked by the sidecar is not masked twice");
    String primaryCookie = assertInstanceOf(Response.Answer.class, sample.primary()).header("Set-Cookie");
    assertEquals(MASK.mask("sid=1"), primaryCookie);
    assertEquals(primaryCookie, assertInstanceOf(Response.Answer.class, sample.candidate()).header("Set-Cookie"));
    assertEquals(MASK.mask("sid=2"), assertInstanceOf(Response.Answer.class, sample.secondary()).header("Set-Cookie"));
  }
}
