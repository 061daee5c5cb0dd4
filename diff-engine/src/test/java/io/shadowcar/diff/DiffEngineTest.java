package io.shadowcar.diff;

import static io.shadowcar.diff.Exchanges.get;
import static io.shadowcar.diff.Exchanges.json;
import static io.shadowcar.diff.Exchanges.withHeaders;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DiffEngineTest {

  private final DiffEngine engine = new DiffEngine(DiffConfig.defaults());

  private DiffResult compare(Response primary, Response candidate) {
    return engine.compare(get("/x", primary, candidate, null));
  }

  @Test
  void reportsTypeChangeWhenNumberBecomesString() {
    DiffResult r = compare(json("{\"n\":1}"), json("{\"n\":\"1\"}"));
    assertEquals(List.of(new Difference("body.n", DifferenceKind.TYPE_CHANGED, "1", "\"1\"")), r.differences());
    assertEquals(ExchangeOutcome.DIFFERENT, r.outcome());
  }

  @Test
  void keepsTheConcreteIndexInThePathAndStarsItInTheKey() {
    DiffResult r = compare(json("{\"items\":[{\"p\":1},{\"p\":2}]}"), json("{\"items\":[{\"p\":1},{\"p\":3}]}"));
    assertEquals("body.items[1].p", r.differences().get(0).path());
    assertEquals("body.items[*].p", r.differences().get(0).key());
  }

  @Test
  void ignoresDefaultHeadersCaseInsensitivelyButCountsThem() {
    DiffResult r = compare(
        withHeaders(List.of(HttpHeader.of("DATE", "a"), HttpHeader.of("X-B3-SpanId", "1"),
            HttpHeader.of("Uber-Trace-Id", "u1"), HttpHeader.of("X-Amzn-Trace-Id", "Root=1"))),
        withHeaders(List.of(HttpHeader.of("date", "b"), HttpHeader.of("x-b3-spanid", "2"),
            HttpHeader.of("uber-trace-id", "u2"), HttpHeader.of("x-amzn-trace-id", "Root=2"))));
    assertEquals(ExchangeOutcome.SAME, r.outcome());
    assertEquals(List.of("header.date", "header.x-b3-spanid", "header.uber-trace-id", "header.x-amzn-trace-id"),
        r.ignored().stream().map(Difference::path).toList());
  }

  @Test
  void aConfiguredHeaderListReplacesTheDefault() {
    DiffEngine custom = new DiffEngine(DiffConfig.defaults().withRules(
        new DiffRules(List.of(), List.of("X-Build"), List.of(), List.of())));
    DiffResult r = custom.compare(get("/x",
        withHeaders(List.of(HttpHeader.of("Date", "a"), HttpHeader.of("X-Build", "1"))),
        withHeaders(List.of(HttpHeader.of("Date", "b"), HttpHeader.of("x-build", "2"))), null));
    assertEquals(List.of("header.date"), r.differences().stream().map(Difference::path).toList());
    assertEquals(List.of("header.x-build"), r.ignored().stream().map(Difference::path).toList());
  }

  @Test
  void comparesNoiseOnlyWhenASecondaryAnswered() {
    DiffResult r = engine.compare(get("/x", json("{\"t\":1}"), json("{\"t\":2}"), json("{\"t\":3}")));
    assertTrue(r.secondaryPresent());
    assertEquals(List.of(new Difference("body.t", DifferenceKind.VALUE_CHANGED, "1", "3")), r.noise());
    assertEquals(List.of(), compare(json("{\"t\":1}"), json("{\"t\":2}")).noise());
  }

  @Test
  void summarisesTheSecondarySideOnlyWhenThereIsOne() {
    DiffResult r = engine.compare(get("/x", json("{}"), json("{}"), Exchanges.json(503, "{}", 7_000)));
    assertEquals(new SideSummary(503, null, 7_000), r.secondary());
    assertNull(compare(json("{}"), json("{}")).secondary());
  }

  @Test
  void bothSidesFailingAlikeIsTheSame() {
    Response timeout = new Response.Failure(FailureKind.TIMEOUT, "a", 5);
    Response refused = new Response.Failure(FailureKind.CONNECTION_FAILURE, "b", 5);
    assertEquals(ExchangeOutcome.SAME, compare(timeout, new Response.Failure(FailureKind.TIMEOUT, "c", 9)).outcome());
    assertEquals(List.of(new Difference("status", DifferenceKind.VALUE_CHANGED, "\"TIMEOUT\"",
        "\"CONNECTION_FAILURE\"")), compare(timeout, refused).differences());
  }

  @Test
  void identicalBodiesAreTheSameYetStillSayWhetherTheyParse() {
    String body = "{\"a\":[1,2.50,{\"b\":null}],\"a\":\"last\"}";
    DiffResult same = compare(json(body), json(body));
    assertEquals(ExchangeOutcome.SAME, same.outcome());
    assertEquals(BodyMode.JSON, same.bodyMode());

    DiffResult invalid = compare(json("{\"a\":"), json("{\"a\":"));
    assertEquals(ExchangeOutcome.SAME, invalid.outcome());
    assertEquals(BodyMode.INVALID_JSON, invalid.bodyMode());

    // a candidate identical to the primary, a secondary that is not: the noise still comes from the primary's tree
    DiffResult noisy = engine.compare(get("/x", json("{\"t\":1}"), json("{\"t\":1}"), json("{\"t\":2}")));
    assertEquals(List.of(), noisy.differences());
    assertEquals(List.of(new Difference("body.t", DifferenceKind.VALUE_CHANGED, "1", "2")), noisy.noise());
  }

  @Test
  void sniffsJsonWhenNoContentTypeIsDeclared() {
    Response a = new Response.Answer(200, List.of(), "  {\"a\":1}".getBytes(), false, 0);
    Response b = new Response.Answer(200, List.of(), "{\"a\":2}".getBytes(), false, 0);
    DiffResult r = compare(a, b);
    assertEquals(BodyMode.JSON, r.bodyMode());
    assertEquals("body.a", r.differences().get(0).path());
  }

  @Test
  void sniffsBinaryWhenBytesAreNotText() {
    Response a = new Response.Answer(200, List.of(), new byte[] {0, 1, 2}, false, 0);
    Response b = new Response.Answer(200, List.of(), new byte[] {0, 1, 3}, false, 0);
    assertEquals(BodyMode.BINARY, compare(a, b).bodyMode());
  }

  @Test
  void cutsLongValuesWithAnEllipsis() {
    String longText = "x".repeat(500);
    DiffResult r = compare(json("{\"s\":\"" + longText + "\"}"), json("{\"s\":\"y\"}"));
    String shown = r.differences().get(0).primary();
    assertEquals(DiffConfig.defaults().maxValueChars(), shown.length());
    assertTrue(shown.endsWith("…"));
  }

  @Test
  void reportsExtraMembersWhenSizesMatchButNamesDiffer() {
    DiffResult r = compare(json("{\"a\":1,\"b\":2}"), json("{\"a\":1,\"c\":2}"));
    assertEquals(List.of(new Difference("body.b", DifferenceKind.MISSING, "2", null),
        new Difference("body.c", DifferenceKind.EXTRA, null, "2")), r.differences());
  }
}
