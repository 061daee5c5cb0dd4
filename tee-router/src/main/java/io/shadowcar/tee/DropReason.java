package io.shadowcar.tee;

import java.util.Locale;

/**
 * Why a request was not copied, or why a copy was lost. Every request that is not copied and every copy that does not
 * reach a sink is counted with exactly one of these.
 *
 * <p>Two families, two counters: {@linkplain #isSkip() skips} are policy decisions taken from the request head (kill
 * switch, sampling, method policy, no matching route) and are counted in {@value TeeMetrics#SKIPPED}; everything
 * else is a copy that was wanted but lost to a limit or a failure, counted in {@value TeeMetrics#DROPPED}. Keeping
 * them apart lets an operator alert on "dropped &gt; 0" without a 10% sample rate firing the alert.
 */
public enum DropReason {
  /** The kill switch ({@code shadowcar.shadow.enabled=false}) is off. Skip. */
  DISABLED(true),
  /** The request lost the sampling draw (percent or consistent key). Skip. */
  SAMPLED_OUT(true),
  /** The method is not in the copied set and no route opts it in. Skip. */
  UNSAFE_METHOD(true),
  /** Routes are configured and none matches the path. Skip. */
  NO_ROUTE(true),
  /** An {@code Upgrade} request (WebSocket): its tunnel's bytes are never copied. Skip. */
  UPGRADE(true),
  /**
   * A gRPC call whose request is not exactly one message (client or bidirectional streaming): only calls with a
   * single request message are copied. Skip, decided at the end of the request.
   */
  GRPC_STREAMING(true),
  /** The request body is larger than {@code maxBodyBytes} (declared or accumulated). */
  BODY_TOO_LARGE(false),
  /** The global budget of captured bytes ({@code maxBufferedBytes}) is used up by captures in flight. */
  BUFFER_FULL(false),
  /** The sink already has {@code maxInflight} copies in flight, or its connection pool and wait queue are full. */
  INFLIGHT_FULL(false),
  /** The sink's rate cap ({@code maxRatePerSecond}) is reached. */
  RATE_LIMITED(false),
  /** The shadow's circuit breaker is open after repeated failures or timeouts. */
  CIRCUIT_OPEN(false),
  /** The sink named by the route is not configured or not running (e.g. Kafka off, producer buffer full). */
  SINK_DOWN(false),
  /** The shadow cluster has no instance right now. */
  NO_TARGET(false),
  /** The caller went away, or the primary exchange failed, before the request body ended. */
  CALLER_ABORTED(false);

  private final boolean skip;
  private final String tag;

  DropReason(boolean skip) {
    this.skip = skip;
    this.tag = name().toLowerCase(Locale.ROOT);
  }

  /** {@code true} for policy decisions (counted as skipped), {@code false} for lost copies (counted as dropped). */
  public boolean isSkip() {
    return skip;
  }

  /** The metric tag value, lower snake case, e.g. {@code inflight_full}. */
  public String tag() {
    return tag;
  }
}
