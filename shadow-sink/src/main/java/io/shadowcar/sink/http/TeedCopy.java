package io.shadowcar.sink.http;

import io.shadowcar.sink.SinkAdmission;
import io.shadowcar.sink.observe.ShadowOutcome;
import io.shadowcar.common.target.TargetUrl;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One admitted copy sent to the candidate and, when a secondary is configured, to the secondary at the same time, under
 * the one permit: the in-flight slot is held until both calls ended, then the permit ends with the candidate's result
 * and the exchange is reported once, with both outcomes. The secondary's result never decides the permit, the breaker
 * or the candidate's counters.
 */
final class TeedCopy {

  private final HttpShadowSink sink;
  private final SinkAdmission.Permit permit;
  /** The event loop that took the copy and counts it, or {@code null} off an event loop. */
  private final ShadowLoopPools.Loop loop;
  // a field and an updater, not an AtomicInteger: one object less per copy in flight (see TeeEvent)
  private static final AtomicIntegerFieldUpdater<TeedCopy> RUNNING =
      AtomicIntegerFieldUpdater.newUpdater(TeedCopy.class, "running");
  private volatile int running;
  // each written by its call before the decrement of running that the last call reads after
  private ShadowCall.End candidate;
  private ShadowCall.End secondary;

  TeedCopy(HttpShadowSink sink, SinkAdmission.Permit permit, ShadowLoopPools.Loop loop) {
    this.sink = sink;
    this.permit = permit;
    this.loop = loop;
  }

  /** @param secondaryTarget the secondary instance, or {@code null} for a candidate-only copy */
  void start(TargetUrl candidateTarget, TargetUrl secondaryTarget) {
    running = secondaryTarget == null ? 1 : 2;
    if (loop != null) {
      // counted once it runs on its loop: a copy still queued to reach the sink's own loop holds no connection nor
      // wait slot; the sink's count of all its copies in flight bounds those (HttpShadowSink.refusal)
      loop.copyStarted();
    }
    new ShadowCall(sink, loop, permit.event(), candidateTarget, end -> {
      candidate = end;
      sink.candidateEnded(end);
      ended();
    }).start();
    if (secondaryTarget != null) {
      new ShadowCall(sink, loop, permit.event(), secondaryTarget, end -> {
        secondary = end;
        sink.secondaryEnded(end);
        ended();
      }).start();
    }
  }

  private void ended() {
    if (RUNNING.decrementAndGet(this) > 0) {
      return;
    }
    if (!candidate.poolFull() && sink.observers().any()) {
      ShadowOutcome second = secondary == null ? null : secondary.outcome();
      sink.observers().observe(sink.tag(), permit.event(), candidate.outcome(), second);
    }
    sink.endPermit(permit, candidate);
    if (loop != null) {
      loop.copyEnded();
    }
  }
}
