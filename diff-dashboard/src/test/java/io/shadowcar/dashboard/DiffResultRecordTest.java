package io.shadowcar.dashboard;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shadowcar.diff.DiffEngine;
import io.shadowcar.diff.DiffResult;
import io.shadowcar.diff.ExchangeSample;
import io.shadowcar.diff.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiffResultRecordTest {

  private static final DiffEngine ENGINE = new DiffEngine(Exchanges.CONFIG);

  @Test
  void aResultAndItsExchangeReadBackAsWritten() throws Exception {
    for (ExchangeSample sample : Exchanges.round(3)) {
      DiffResult result = ENGINE.compare(sample);

      DiffResultRecord.Compared read = DiffResultRecord.decode(DiffResultRecord.FORMAT_V1,
          DiffResultRecord.encode(result, sample, 1234, 1 << 20));

      assertEquals(result, read.result());
      assertEquals(1234, read.comparedAtMillis());
      assertEquals(sample.request().requestId(), read.sample().request().requestId());
      assertEquals(sample.request().headers(), read.sample().request().headers());
      assertArrayEquals(sample.request().body(), read.sample().request().body());
      assertSameResponse(sample.primary(), read.sample().primary());
      assertSameResponse(sample.candidate(), read.sample().candidate());
      assertSameResponse(sample.secondary(), read.sample().secondary());
    }
  }

  @Test
  void cutsBodiesAtTheCapAndSaysSo() throws Exception {
    ExchangeSample sample = Exchanges.changedField(1);

    DiffResultRecord.Compared read = DiffResultRecord.decode(null,
        DiffResultRecord.encode(ENGINE.compare(sample), sample, 0, 4));

    Response.Answer primary = (Response.Answer) read.sample().primary();
    assertEquals(4, primary.body().length);
    assertTrue(primary.truncated());
  }

  @Test
  void rejectsOtherFormatsAndValuesThatAreNotResults() {
    byte[] good = DiffResultRecord.encode(ENGINE.compare(Exchanges.identical()), Exchanges.identical(), 0, 100);
    assertThrows(DiffResultRecord.BadResultException.class, () -> DiffResultRecord.decode("diff-result-json-v2", good));
    assertThrows(DiffResultRecord.BadResultException.class,
        () -> DiffResultRecord.decode(null, "{nope".getBytes(StandardCharsets.UTF_8)));
    assertThrows(DiffResultRecord.BadResultException.class,
        () -> DiffResultRecord.decode(null, "{\"v\":1}".getBytes(StandardCharsets.UTF_8)));
    assertThrows(DiffResultRecord.BadResultException.class, () -> DiffResultRecord.decode(null, null));
  }

  @Test
  void recordingWorkerResultsCountsExactlyLikeComparingInProcess() throws Exception {
    List<DiffResultRecord.Compared> fromWorkers = new ArrayList<>();
    try (DiffRecorder inProcess = recorder(); DiffRecorder fleet = recorder()) {
      for (int i = 0; i < Exchanges.ROUNDS; i++) {
        for (ExchangeSample sample : Exchanges.round(i)) {
          inProcess.record(sample);
          fromWorkers.add(DiffResultRecord.decode(DiffResultRecord.FORMAT_V1,
              DiffResultRecord.encode(ENGINE.compare(sample), sample, 0, 1 << 20)));
        }
      }
      fromWorkers.forEach(c -> fleet.recordResult(c.result(), c.sample()));

      await().until(() -> requests(fleet) == 5L * Exchanges.ROUNDS && requests(inProcess) == 5L * Exchanges.ROUNDS);
      assertEquals(inProcess.view().aggregate().endpoints(), fleet.view().aggregate().endpoints());
      assertEquals(5, fleet.samples(Exchanges.CHANGED, "body.name", 0).size());
    }
  }

  private static DiffRecorder recorder() {
    return DiffRecorder.start(Exchanges.CONFIG, RecordingPolicy.defaults(), Exchanges.dashboardConfig(), null,
        new SimpleMeterRegistry());
  }

  private static long requests(DiffRecorder recorder) {
    return recorder.view().aggregate().endpoints().stream().mapToLong(e -> e.requests()).sum();
  }

  private static void assertSameResponse(Response expected, Response actual) {
    if (expected instanceof Response.Answer a) {
      Response.Answer b = (Response.Answer) actual;
      assertEquals(a.status(), b.status());
      assertEquals(a.headers(), b.headers());
      assertArrayEquals(a.body(), b.body());
      assertEquals(a.truncated(), b.truncated());
      assertEquals(a.latencyNanos(), b.latencyNanos());
    } else {
      assertEquals(expected, actual);
    }
  }
}
