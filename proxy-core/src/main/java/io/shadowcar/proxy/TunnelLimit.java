package io.shadowcar.proxy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cap on open tunnels over the whole traffic port (all event loops), and the tunnel meters. A slot is taken when
 * an upgrade request arrives, before the primary is called, so a flood of upgrades cannot hold more connections to
 * the primary than the cap; it is given back when the primary declines the upgrade, the exchange fails, or the
 * tunnel closes.
 */
final class TunnelLimit {

  /** Why a tunnel closed. */
  enum Close {
    /** The caller closed (or reset) its connection. */
    CALLER("caller"),
    /** The primary closed (or reset) its connection. */
    PRIMARY("primary"),
    /** No byte crossed in either direction for the idle timeout. */
    IDLE("idle"),
    /** A connection failed with an error. */
    ERROR("error");

    private final String tag;

    Close(String tag) {
      this.tag = tag;
    }

    String tag() {
      return tag;
    }
  }

  private final TunnelConfig config;
  private final AtomicInteger open = new AtomicInteger();
  private final Counter opened;
  private final Counter refused;
  private final Counter declined;
  private final Counter[] closed = new Counter[Close.values().length];

  TunnelLimit(TunnelConfig config, MeterRegistry registry) {
    this.config = config;
    Gauge.builder(ProxyMetrics.TUNNELS_OPEN, open, AtomicInteger::get).description("Open Upgrade tunnels (and upgrades being answered)")
        .register(registry);
    opened = upgrades(registry, "opened");
    refused = upgrades(registry, "refused");
    declined = upgrades(registry, "declined");
    for (Close c : Close.values()) {
      closed[c.ordinal()] = Counter.builder(ProxyMetrics.TUNNELS_CLOSED).tag(ProxyMetrics.TAG_REASON, c.tag())
          .description("Upgrade tunnels closed, by reason").register(registry);
    }
  }

  private static Counter upgrades(MeterRegistry registry, String result) {
    return Counter.builder(ProxyMetrics.TUNNELS).tag(ProxyMetrics.TAG_RESULT, result)
        .description("Upgrade requests: tunnels opened, refused at the cap, declined by the primary")
        .register(registry);
  }

  TunnelConfig config() {
    return config;
  }

  /** Takes a slot; {@code false} (counted as refused) when {@link TunnelConfig#max()} are taken. */
  boolean tryAcquire() {
    while (true) {
      int now = open.get();
      if (now >= config.max()) {
        refused.increment();
        return false;
      }
      if (open.compareAndSet(now, now + 1)) {
        return true;
      }
    }
  }

  /**
   * An upgrade that did not become a tunnel: the primary declined it ({@code answer} other than 101, counted), or it
   * failed first (no primary, timeout, caller gone). The slot is given back and the primary connection, used for this
   * one request, closed.
   */
  void notOpened(HttpClientRequest upstream, HttpClientResponse answer) {
    if (answer != null && answer.statusCode() != 101) {
      declined.increment();
    }
    open.decrementAndGet();
    if (upstream != null) {
      upstream.connection().close();
    }
  }

  void opened() {
    opened.increment();
  }

  /** An open tunnel closed: its slot is given back. */
  void closed(Close reason) {
    closed[reason.ordinal()].increment();
    open.decrementAndGet();
  }
}
