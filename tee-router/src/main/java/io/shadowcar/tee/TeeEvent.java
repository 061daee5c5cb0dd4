package io.shadowcar.tee;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One request to copy: the head already rewritten for the shadow, the whole body, where it goes, and the primary's
 * response as it completes. Immutable apart from its hold count.
 *
 * <p><b>Holding and releasing.</b> The captured bytes count against the tee's global buffer budget until every holder
 * has released the event. Whoever receives an event owns one hold and must call {@link #release()} exactly once, when
 * the copy has reached its one counted outcome (sent, failed or dropped). A fan-out that hands the same event to
 * several sinks calls {@link #retain()} once per extra sink first. Releasing more often than holding is a bug and
 * throws.
 *
 * <p>The body is shared by every holder and read-only by contract. Do not keep it after releasing: the budget no
 * longer accounts for it.
 */
public final class TeeEvent {

  private final String requestId;
  private final HttpMethod method;
  private final String uri;
  private final String route;
  private final List<Map.Entry<String, String>> headers;
  private final Buffer body;
  private final Set<String> sinks;
  private final Future<CapturedResponse> primaryResponse;
  private final Runnable onLastRelease;
  // a field and an updater, not an AtomicInteger: one object less per copy, which lives as long as the copy is in
  // flight (a second or more before a slow shadow) and is copied again at every young collection until then
  private static final AtomicIntegerFieldUpdater<TeeEvent> HOLDS =
      AtomicIntegerFieldUpdater.newUpdater(TeeEvent.class, "holds");
  private volatile int holds = 1;

  /**
   * @param requestId the {@code X-Request-Id} shared by the primary request and the copy
   * @param method the request method
   * @param uri path and query exactly as the caller sent them
   * @param route the matching route's name, or {@code "default"} when no routes are configured (bounded, usable as tag)
   * @param headers the copy's headers, already rewritten (marker, host suffix, hop-by-hop and stripped names removed)
   * @param body the whole request body (empty when none); read-only by contract
   * @param sinks tags of the sinks this copy goes to, never empty
   * @param primaryResponse completes with the primary's captured response, or fails if the primary exchange failed;
   *     it never delays the primary
   * @param onLastRelease runs once, when the last holder releases (returns the bytes to the budget)
   */
  public TeeEvent(
      String requestId,
      HttpMethod method,
      String uri,
      String route,
      List<Map.Entry<String, String>> headers,
      Buffer body,
      Set<String> sinks,
      Future<CapturedResponse> primaryResponse,
      Runnable onLastRelease) {
    this.requestId = Objects.requireNonNull(requestId, "requestId");
    this.method = Objects.requireNonNull(method, "method");
    this.uri = Objects.requireNonNull(uri, "uri");
    this.route = Objects.requireNonNull(route, "route");
    this.headers = List.copyOf(headers);
    this.body = body == null ? Buffer.buffer(0) : body;
    this.sinks = Set.copyOf(sinks);
    if (this.sinks.isEmpty()) {
      throw new IllegalArgumentException("sinks: [] (expected: at least one)");
    }
    this.primaryResponse = Objects.requireNonNull(primaryResponse, "primaryResponse");
    this.onLastRelease = Objects.requireNonNull(onLastRelease, "onLastRelease");
  }

  public String requestId() {
    return requestId;
  }

  public HttpMethod method() {
    return method;
  }

  /** Path and query, byte-exact as the caller sent them. */
  public String uri() {
    return uri;
  }

  /** The route's name ({@code "default"} without routes): a bounded value. */
  public String route() {
    return route;
  }

  /** The copy's headers in order, repeated names kept; immutable. */
  public List<Map.Entry<String, String>> headers() {
    return headers;
  }

  /** First value of a copy header, case-insensitive, or {@code null}. */
  public String header(String name) {
    return HeaderList.first(headers, name);
  }

  /** The request body; shared and read-only by contract (never write to it). */
  public Buffer body() {
    return body;
  }

  /** Tags of the sinks this copy goes to (e.g. {@code http}); never empty. */
  public Set<String> sinks() {
    return sinks;
  }

  /** The primary's response as captured on its way to the caller; fails if the primary exchange failed. */
  public Future<CapturedResponse> primaryResponse() {
    return primaryResponse;
  }

  /** Adds a hold, for a fan-out handing this event to one more sink. Only legal while a hold is still held. */
  public void retain() {
    int before = HOLDS.getAndIncrement(this);
    if (before <= 0) {
      HOLDS.decrementAndGet(this);
      throw new IllegalStateException("retain after release: " + requestId);
    }
  }

  /** Gives up one hold; the last one returns the captured bytes to the budget. */
  public void release() {
    int after = HOLDS.decrementAndGet(this);
    if (after == 0) {
      onLastRelease.run();
    } else if (after < 0) {
      throw new IllegalStateException("released more often than held: " + requestId);
    }
  }

  /** Holds not yet released; for tests and leak checks. */
  public int holds() {
    return Math.max(0, holds);
  }

  @Override
  public String toString() {
    return "TeeEvent[" + requestId + " " + method + " " + uri + " route=" + route + " body=" + body.length()
        + "B sinks=" + sinks + "]";
  }
}
