package io.shadowcar.health.check;

import java.util.concurrent.CompletionStage;

/**
 * One probe that can be run repeatedly. {@link #run()} must not block the caller (it is called from the health
 * timer thread) and its stage must always complete, with a critical result rather than an exception where it can.
 * The scheduler never calls {@link #run()} again before the previous stage completed.
 *
 * <p>Not for TTL checks: those are pushed, not run (see {@code HealthAgent#updateTtl}).
 */
public interface HealthCheck {

  CompletionStage<CheckResult> run();
}
