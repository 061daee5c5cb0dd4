package io.shadowcar.sink.observe;

import io.micrometer.core.instrument.MeterRegistry;
import io.shadowcar.tee.TeeEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The seam that carries completed exchanges from the sinks to any number of {@link ExchangeListener}s. A sink calls
 * {@link #observe} when its copy is done; once the primary's response is known too, the exchange is offered to every
 * listener's own bounded queue (see {@link ListenerRegistration}). Offering never waits, so it is safe on an event
 * loop; a slow or blocked listener only loses exchanges, counted in
 * {@code shadowcar_exchange_listener_dropped_total{listener,reason}}.
 *
 * <p>Sinks ask {@link #any()} first: with no listener attached they capture and keep nothing for observers. A listener
 * can be detached while it has nothing to do (the diff while {@code shadowcar.diff.enabled=false}) and attached again
 * at runtime ({@link #attach}): while none is attached, exchanges cost nothing here.
 */
public final class ExchangeObservers {

  private static final ListenerQueue[] NO_QUEUES = new ListenerQueue[0];
  private static final ExchangeObservers NONE = new ExchangeObservers(List.of());

  private final List<ListenerQueue> queues;
  /** The attached subset of {@link #queues}, in registration order; replaced whole on every change. */
  private volatile ListenerQueue[] attached;

  private ExchangeObservers(List<ListenerQueue> queues) {
    this.queues = queues;
    this.attached = queues.toArray(NO_QUEUES);
  }

  /** Nobody listens. */
  public static ExchangeObservers none() {
    return NONE;
  }

  /** One queue and thread per registration, each attached; none when the list is empty. */
  public static ExchangeObservers of(List<ListenerRegistration> registrations, MeterRegistry registry) {
    if (registrations.isEmpty()) {
      return NONE;
    }
    return new ExchangeObservers(registrations.stream().map(r -> new ListenerQueue(r, registry)).toList());
  }

  /** Whether any listener is attached now; one volatile read. */
  public boolean any() {
    return attached.length > 0;
  }

  /**
   * Attaches or detaches the listener registered as {@code name}: a detached one is offered nothing (its queue and
   * thread stay, idle), and once none is attached {@link #any()} says so, so sinks stop capturing for observers.
   * Exchanges already handed to its queue are still delivered.
   *
   * @throws IllegalArgumentException when no listener is registered under {@code name}
   */
  public synchronized void attach(String name, boolean attach) {
    if (queues.stream().noneMatch(q -> q.name().equals(name))) {
      throw new IllegalArgumentException("listener: " + name + " (expected: one of "
          + queues.stream().map(ListenerQueue::name).toList() + ")");
    }
    List<ListenerQueue> now = new ArrayList<>();
    for (ListenerQueue queue : queues) {
      boolean on = queue.name().equals(name) ? attach : isAttached(queue);
      if (on) {
        now.add(queue);
      }
    }
    attached = now.toArray(NO_QUEUES);
  }

  /** Whether the listener registered as {@code name} is attached. */
  public boolean attached(String name) {
    for (ListenerQueue queue : attached) {
      if (queue.name().equals(name)) {
        return true;
      }
    }
    return false;
  }

  private boolean isAttached(ListenerQueue queue) {
    for (ListenerQueue q : attached) {
      if (q == queue) {
        return true;
      }
    }
    return false;
  }

  /**
   * Reports a copy a sink is done with; the exchange goes out once the event's primary response completes (at once,
   * usually). Call it before or after releasing the event: only immutable fields are read.
   *
   * @param sink the reporting sink's tag
   * @param candidate the shadow's outcome, or {@code null} for a sink that gets no response
   */
  public void observe(String sink, TeeEvent event, ShadowOutcome candidate) {
    observe(sink, event, candidate, null);
  }

  /**
   * Reports a copy a sink sent to the candidate and to a secondary, once both outcomes are known.
   *
   * @param secondary the secondary's outcome, or {@code null} when the copy went to no secondary
   */
  public void observe(String sink, TeeEvent event, ShadowOutcome candidate, ShadowOutcome secondary) {
    if (!any()) {
      return;
    }
    RequestCopy request = RequestCopy.of(event);
    event.primaryResponse().onComplete(primary -> offer(new CompletedExchange(sink, request,
        primary.succeeded() ? Optional.ofNullable(primary.result()) : Optional.empty(),
        Optional.ofNullable(candidate), Optional.ofNullable(secondary))));
  }

  /** Offers a complete exchange to every attached listener; never waits. */
  public void offer(CompletedExchange exchange) {
    for (ListenerQueue queue : attached) {
      queue.offer(exchange);
    }
  }

  /** Stops every listener thread after what is queued has been delivered; returns at once. */
  public void close() {
    queues.forEach(ListenerQueue::close);
  }

  /**
   * Blocks until every listener handled what was queued before {@link #close()}, at most {@code timeout}, so what a
   * listener feeds (e.g. the diff store) can be closed after it. Never on an event loop.
   *
   * @return true when every listener thread ended in time
   */
  public boolean awaitClosed(java.time.Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean all = true;
    for (ListenerQueue queue : queues) {
      all &= queue.awaitClosed(Math.max(0, deadline - System.nanoTime()));
    }
    return all;
  }
}
