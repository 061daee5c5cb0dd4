package io.shadowcar.diff;

import static io.shadowcar.diff.Exchanges.get;
import static io.shadowcar.diff.Exchanges.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DiffAggregateTest {

  private static final long MS = 1_000_000L;

  private final DiffConfig config = DiffConfig.defaults().withLatency(new LatencyComparison(1.2, 0, 10, 1.0));
  private final DiffEngine engine = new DiffEngine(config);
  private final DiffAggregate aggregate = new DiffAggregate(config);

  private Verdict ingest(Response primary, Response candidate, Response secondary) {
    return aggregate.ingest(engine.compare(get("/orders/17", primary, candidate, secondary)));
  }

  private EndpointSnapshot orders() {
    return aggregate.snapshot().endpoint("GET /orders/{id}");
  }

  @Test
  void countsSameAndDifferentExchangesPerEndpoint() {
    assertEquals(Verdict.SAME, ingest(json("{\"a\":1}"), json("{\"a\":1}"), null));
    assertEquals(Verdict.DIFFERENT, ingest(json("{\"a\":1}"), json("{\"a\":2}"), null));
    EndpointSnapshot e = orders();
    assertEquals(2, e.requests());
    assertEquals(1, e.differing());
    assertEquals(50.0, e.differingRate());
    FieldSnapshot f = e.fields().get(0);
    assertEquals(new FieldSnapshot("body.a", 1, 0, 0, Map.of(DifferenceKind.VALUE_CHANGED, 1L), FieldClass.REAL), f);
  }

  @Test
  void aPathThatAlsoDiffersOnTheSecondaryInTheSameExchangeIsNoise() {
    assertEquals(Verdict.NOISE, ingest(json("{\"t\":1}"), json("{\"t\":2}"), json("{\"t\":3}")));
    EndpointSnapshot e = orders();
    assertEquals(1, e.noiseOnly());
    assertEquals(0, e.differing());
    assertEquals(FieldClass.NOISE, e.fields().get(0).classification());
  }

  @Test
  void aPathClassifiedAsNoiseMakesLaterExchangesNoiseEvenWithoutASecondary() {
    for (int i = 0; i < 5; i++) {
      ingest(json("{\"t\":1}"), json("{\"t\":2}"), json("{\"t\":3}"));
    }
    // raw 6, noise 5: 1/11 = 9 % relative, under 20: still noise
    assertEquals(Verdict.NOISE, ingest(json("{\"t\":1}"), json("{\"t\":2}"), null));
    // a real difference elsewhere makes the exchange different
    assertEquals(Verdict.DIFFERENT, ingest(json("{\"t\":1,\"u\":1}"), json("{\"t\":2,\"u\":2}"), null));
  }

  @Test
  void countsAPathOncePerExchangeAndKeepsKinds() {
    ingest(json("{\"i\":[{\"p\":1},{\"p\":2}]}"), json("{\"i\":[{\"p\":5},{\"p\":6}]}"), null);
    FieldSnapshot f = orders().fields().get(0);
    assertEquals("body.i[*].p", f.path());
    assertEquals(1, f.raw());
    assertEquals(Map.of(DifferenceKind.VALUE_CHANGED, 1L), f.kinds());
  }

  @Test
  void countsIgnoredDifferencesSeparately() {
    ingest(json(200, "{}", 0), new Response.Answer(200, List.of(HttpHeader.of("Content-Type", "application/json"),
        HttpHeader.of("Date", "now")), "{}".getBytes(), false, 0), null);
    FieldSnapshot f = orders().fields().get(0);
    assertEquals(new FieldSnapshot("header.date", 0, 0, 1, Map.of(DifferenceKind.EXTRA, 1L), FieldClass.IGNORED), f);
  }

  @Test
  void neverFlagsLatencyOrErrorsBelowMinSamples() {
    for (int i = 0; i < 9; i++) {
      ingest(json(200, "{}", 10 * MS), json(500, "{}", 100 * MS), null);
    }
    EndpointSnapshot e = orders();
    assertFalse(e.slower());
    assertFalse(e.failing());
    ingest(json(200, "{}", 10 * MS), json(500, "{}", 100 * MS), null);
    assertTrue(orders().slower());
    assertTrue(orders().failing());
  }

  @Test
  void flagsSlowerOnlyAboveTheFactor() {
    for (int i = 0; i < 10; i++) {
      ingest(json(200, "{}", 100 * MS), json(200, "{}", 119 * MS), null);
    }
    EndpointSnapshot e = orders();
    assertEquals(10, e.primary().count());
    assertFalse(e.slower(), "p99 119 ms vs 100 ms is under x1.2");
    for (int i = 0; i < 10; i++) {
      ingest(json(200, "{}", 100 * MS), json(200, "{}", 130 * MS), null);
    }
    assertTrue(orders().slower(), "p99 130 ms vs 100 ms is over x1.2");
  }

  @Test
  void aMinimumDeltaKeepsAFewMillisecondsOfJitterFromReadingAsSlower() {
    DiffConfig floored = config.withLatency(config.latency().withMinDeltaMillis(20));
    DiffAggregate a = new DiffAggregate(floored);
    DiffEngine e = new DiffEngine(floored);
    for (int i = 0; i < 10; i++) {
      a.ingest(e.compare(get("/orders/17", json(200, "{}", 10 * MS), json(200, "{}", 29 * MS), null)));
    }
    assertFalse(a.snapshot().endpoint("GET /orders/{id}").slower(), "2.9x, but only 19 ms above: under the floor");
    for (int i = 0; i < 10; i++) {
      a.ingest(e.compare(get("/orders/17", json(200, "{}", 10 * MS), json(200, "{}", 31 * MS), null)));
    }
    assertTrue(a.snapshot().endpoint("GET /orders/{id}").slower(), "3.1x and 21 ms above: over both");

    DiffAggregate slowBase = new DiffAggregate(floored);
    for (int i = 0; i < 10; i++) {
      slowBase.ingest(e.compare(get("/orders/17", json(200, "{}", 200 * MS), json(200, "{}", 230 * MS), null)));
    }
    assertFalse(slowBase.snapshot().endpoint("GET /orders/{id}").slower(), "30 ms above, but only 1.15x: the factor");
  }

  @Test
  void aCandidateAsSlowAsTheSecondaryIsNotSlowerThanAFasterPrimary() {
    for (int i = 0; i < 10; i++) {
      ingest(json(200, "{}", 10 * MS), json(200, "{}", 30 * MS), json(200, "{}", 30 * MS));
    }
    EndpointSnapshot e = orders();
    assertEquals(LatencyBaseline.SECONDARY, e.latencyBaseline());
    assertEquals(10, e.secondary().count());
    assertEquals(e.secondary().p99Micros(), e.candidate().p99Micros());
    assertFalse(e.slower(), "the primary's 3x faster p99 is the caller's path, not the candidate's code");
  }

  @Test
  void aCandidateThreeTimesTheSecondaryIsSlowerWhateverThePrimary() {
    for (int i = 0; i < 10; i++) {
      ingest(json(200, "{}", 100 * MS), json(200, "{}", 30 * MS), json(200, "{}", 10 * MS));
    }
    EndpointSnapshot e = orders();
    assertEquals(LatencyBaseline.SECONDARY, e.latencyBaseline());
    assertTrue(e.slower(), "30 ms vs the secondary's 10 ms, though the primary took 100 ms");
  }

  @Test
  void fallsBackToThePrimaryBelowMinSamplesSecondaryAnswers() {
    for (int i = 0; i < 10; i++) {
      boolean withSecondary = i > 0;
      ingest(json(200, "{}", 10 * MS), json(200, "{}", 30 * MS), withSecondary ? json(200, "{}", 30 * MS) : null);
    }
    ingest(json(200, "{}", 10 * MS), json(200, "{}", 30 * MS),
        new Response.Failure(FailureKind.TIMEOUT, "late", 40 * MS));
    EndpointSnapshot e = orders();
    assertEquals(10, e.secondary().requests());
    assertEquals(9, e.secondary().count(), "a failure is no latency sample");
    assertEquals(LatencyBaseline.PRIMARY, e.latencyBaseline());
    assertTrue(e.slower(), "30 ms vs the primary's 10 ms");

    ingest(json(200, "{}", 10 * MS), json(200, "{}", 30 * MS), json(200, "{}", 30 * MS));
    assertEquals(LatencyBaseline.SECONDARY, orders().latencyBaseline());
    assertFalse(orders().slower());
  }

  @Test
  void judgesErrorsAgainstTheSecondaryToo() {
    for (int i = 0; i < 10; i++) {
      ingest(json(200, "{}", MS), json(503, "{}", MS), json(503, "{}", MS));
    }
    assertEquals(LatencyBaseline.SECONDARY, orders().latencyBaseline());
    assertFalse(orders().failing(), "the secondary fails as often: the version is not to blame");
    for (int i = 0; i < 10; i++) {
      ingest(json(200, "{}", MS), json(503, "{}", MS), json(200, "{}", MS));
    }
    assertTrue(orders().failing(), "100 % vs the secondary's 50 %");
  }

  @Test
  void stateWithoutSecondaryCountersRestoresAsNone() {
    ingest(json(200, "{}", MS), json(200, "{}", MS), null);
    EndpointState s = aggregate.export().endpoints().get(0);
    EndpointState old = new EndpointState(s.endpoint(), s.requests(), s.differing(), s.noiseOnly(), s.fields(),
        s.droppedPaths(), s.primary(), s.candidate(), null);

    EndpointSnapshot e = DiffAggregate.restore(config, new AggregateState(List.of(old))).snapshot().endpoints().get(0);

    assertEquals(0, e.secondary().requests());
    assertEquals(0, e.secondary().count());
    assertEquals(LatencyBaseline.PRIMARY, e.latencyBaseline());
  }

  @Test
  void flagsFailingOnlyWhenTheErrorRateExceedsThePrimarysByTheMargin() {
    LatencyComparison c = new LatencyComparison(1.2, 0, 100, 1.0);
    LatencySnapshot primary = new LatencySnapshot(100, 99, 1, 1, 1, 1, 1, 0, 1.0);
    assertFalse(c.failing(primary, new LatencySnapshot(100, 98, 1, 1, 1, 1, 1, 1, 2.0)), "exactly +1 point");
    assertTrue(c.failing(primary, new LatencySnapshot(100, 97, 1, 1, 1, 1, 2, 1, 3.0)));
    assertFalse(c.failing(new LatencySnapshot(99, 99, 1, 1, 1, 1, 0, 0, 0.0),
        new LatencySnapshot(99, 0, 0, 0, 0, 0, 0, 99, 100.0)), "99 requests is under minSamples");
  }

  @Test
  void countsFailuresAsErrorsWithoutLatencySamples() {
    ingest(json(200, "{}", MS), new Response.Failure(FailureKind.CONNECTION_FAILURE, "refused", 3 * MS), null);
    LatencySnapshot c = orders().candidate();
    assertEquals(1, c.requests());
    assertEquals(0, c.count());
    assertEquals(1, c.failures());
    assertEquals(100.0, c.errorRate());
  }

  @Test
  void snapshotSurvivesExportThroughJsonAndRestore() throws Exception {
    for (int i = 0; i < 50; i++) {
      ingest(json(200, "{\"a\":1,\"t\":" + i + "}", (10 + i) * MS),
          json(i % 7 == 0 ? 503 : 200, "{\"a\":" + (i % 3) + ",\"t\":0}", (12 + i) * MS),
          i % 2 == 0 ? json(200, "{\"a\":1,\"t\":" + (i + 1) + "}", 11 * MS) : null);
    }
    aggregate.ingest(engine.compare(get("/health", json("{}"), json("{}"), null)));
    ObjectMapper mapper = new ObjectMapper();
    String stored = mapper.writeValueAsString(aggregate.export());

    DiffAggregate restored = DiffAggregate.restore(config, mapper.readValue(stored, AggregateState.class));

    assertEquals(aggregate.snapshot(), restored.snapshot());
    assertEquals(2, restored.snapshot().endpoints().size());
    assertEquals(50, restored.snapshot().endpoints().get(0).primary().count());
    assertEquals(25, restored.snapshot().endpoints().get(0).secondary().count());
  }

  @Test
  void histogramsRoundTripThroughTheCodec() {
    org.HdrHistogram.Histogram h = new org.HdrHistogram.Histogram(2);
    h.recordValue(1234);
    h.recordValue(987654);
    org.HdrHistogram.Histogram back = HistogramCodec.decode(HistogramCodec.encode(h));
    assertEquals(h, back);
    assertThrows(IllegalArgumentException.class, () -> HistogramCodec.decode(new byte[] {1, 2, 3}));
  }

  @Test
  void foldsEndpointsBeyondTheCapIntoOneOverflowEndpoint() {
    DiffConfig small = new DiffConfig(20, 0.03, 0, 0, DiffRules.defaults(), Map.of(), List.of(),
        LatencyComparison.defaults(), 10, 200, 2, 1, GrpcSchema.NONE);
    DiffAggregate a = new DiffAggregate(small);
    DiffEngine e = new DiffEngine(small);
    for (String uri : List.of("/a", "/b", "/c", "/d")) {
      a.ingest(e.compare(get(uri, json("{\"x\":1,\"y\":1}"), json("{\"x\":2,\"y\":2}"), null)));
    }
    AggregateSnapshot s = a.snapshot();
    assertEquals(List.of(DiffAggregate.OVERFLOW_ENDPOINT, "GET /a", "GET /b"),
        s.endpoints().stream().map(EndpointSnapshot::endpoint).toList());
    assertEquals(2, s.endpoint(DiffAggregate.OVERFLOW_ENDPOINT).requests());
    EndpointSnapshot first = s.endpoint("GET /a");
    assertEquals(1, first.fields().size(), "one path kept per endpoint");
    assertEquals(1, first.droppedPaths());
  }

  @Test
  void clearForgetsEverything() {
    ingest(json("{\"a\":1}"), json("{\"a\":2}"), null);
    aggregate.clear();
    assertEquals(List.of(), aggregate.snapshot().endpoints());
  }
}
