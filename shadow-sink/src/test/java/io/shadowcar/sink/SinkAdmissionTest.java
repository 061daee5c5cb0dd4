package io.shadowcar.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shadowcar.tee.DropReason;
import io.shadowcar.tee.TeeEvent;
import io.shadowcar.tee.TeeMetrics;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SinkAdmissionTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AtomicInteger released = new AtomicInteger();

  private TeeEvent event(int bodyBytes) {
    return new TeeEvent("rid", HttpMethod.GET, "/", "default", List.of(), Buffer.buffer(new byte[bodyBytes]),
        Set.of("test"), Future.succeededFuture(), released::incrementAndGet);
  }

  private double copies(String result) {
    return registry.counter(TeeMetrics.COPIES, TeeMetrics.TAG_SINK, "test", TeeMetrics.TAG_RESULT, result).count();
  }

  private double dropped(DropReason reason) {
    return registry.counter(TeeMetrics.DROPPED, TeeMetrics.TAG_REASON, reason.tag()).count();
  }

  private double gauge() {
    return registry.get(TeeMetrics.SHADOW_INFLIGHT).tag(TeeMetrics.TAG_SINK, "test").gauge().value();
  }

  @Test
  void aPermitEndsOnceWhateverReportsAfterwards() {
    SinkAdmission admission = new SinkAdmission("test", 4, 0, registry);
    SinkAdmission.Permit permit = admission.admit(event(3));
    assertEquals(1, gauge());

    permit.sent();
    permit.failed();
    permit.drop(DropReason.SINK_DOWN);
    permit.releaseHold();

    assertEquals(1, copies(TeeMetrics.RESULT_SENT));
    assertEquals(0, copies(TeeMetrics.RESULT_FAILED));
    assertEquals(0, dropped(DropReason.SINK_DOWN));
    assertEquals(1, released.get());
    assertEquals(0, admission.inflight());
    assertEquals(0, gauge());
  }

  @Test
  void overTheInflightCapTheCopyIsDroppedCountedAndReleased() {
    SinkAdmission admission = new SinkAdmission("test", 1, 0, registry);
    SinkAdmission.Permit first = admission.admit(event(0));

    assertEquals(DropReason.INFLIGHT_FULL, admission.refusal());
    assertNull(admission.admit(event(0)));
    assertEquals(1, dropped(DropReason.INFLIGHT_FULL));
    assertEquals(1, released.get());

    first.failed();
    assertNull(admission.refusal());
    assertNotNull(admission.admit(event(0)));
  }

  @Test
  void theByteBudgetBoundsTheBodiesOfAdmittedCopies() {
    SinkAdmission admission = new SinkAdmission("test", 10, 10, registry);
    SinkAdmission.Permit six = admission.admit(event(6));

    assertNull(admission.admit(event(6)));
    assertEquals(1, dropped(DropReason.BUFFER_FULL));
    assertNotNull(admission.admit(event(4)), "exactly at the budget fits");
    assertEquals(DropReason.BUFFER_FULL, admission.refusal());

    six.drop(DropReason.CIRCUIT_OPEN);
    assertEquals(1, dropped(DropReason.CIRCUIT_OPEN));
    assertNotNull(admission.admit(event(6)));
  }

  @Test
  void releasingTheHoldEarlyKeepsTheSlotUntilTheOutcome() {
    SinkAdmission admission = new SinkAdmission("test", 1, 0, registry);
    SinkAdmission.Permit permit = admission.admit(event(1));

    permit.releaseHold();
    assertEquals(1, released.get());
    assertEquals(1, admission.inflight());
    permit.sent();
    assertEquals(1, released.get(), "the hold is released once");
    assertEquals(0, admission.inflight());
  }

  @Test
  void closeRemovesTheGauge() {
    new SinkAdmission("test", 1, 0, registry).close();
    assertTrue(registry.find(TeeMetrics.SHADOW_INFLIGHT).gauges().isEmpty());
  }
}
