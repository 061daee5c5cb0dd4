package io.shadowcar.launcher.diff;

import io.micrometer.core.instrument.MeterRegistry;
import io.shadowcar.common.headers.HeaderMask;
import io.shadowcar.dashboard.DiffMetrics;
import io.shadowcar.dashboard.DiffRecorder;
import io.shadowcar.dashboard.web.DiffRoutes;
import io.shadowcar.launcher.config.DiffSetup;
import io.shadowcar.sink.observe.ListenerRegistration;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sidecar's own diff: a {@link DiffRecorder} (and its store under {@code shadowcar.data.dir}) fed by a
 * {@link DiffListener} behind a bounded exchange queue, and the {@code /diff} page and API on the admin port.
 *
 * <p>The listener is registered once, and attached only while the diff compares something ({@link #wanted}): while
 * {@code shadowcar.diff.enabled=false} (or its sample is 0 %) it is detached, so no primary or shadow body is captured
 * and no exchange is queued for it; switching the diff on at runtime attaches it again.
 */
public final class InProcessDiff {

  private static final Logger LOG = LoggerFactory.getLogger(InProcessDiff.class);
  /** The listener's name; also names its thread ({@code shadowcar-exchange-diff}). */
  public static final String LISTENER = "diff";

  private final DiffRecorder recorder;
  private final DiffSetup setup;

  private InProcessDiff(DiffRecorder recorder, DiffSetup setup) {
    this.recorder = recorder;
    this.setup = setup;
  }

  /** Opens the store and restores what it holds: blocks, so call it at start-up, never on an event loop. */
  public static InProcessDiff start(DiffSetup setup, MeterRegistry registry) {
    DiffRecorder recorder = DiffRecorder.start(setup.comparison(), setup.policy(), setup.dashboard(),
        setup.dataDir(), registry);
    LOG.info("diff {} (store: {})", setup.policy().enabled() ? "on" : "off", recorder.storeStatus().path());
    return new InProcessDiff(recorder, setup);
  }

  /**
   * The exchange listener with its queue bounds; its drops are counted as {@code shadowcar_diff_dropped_total}.
   *
   * @param mask masks sensitive header values before they are compared and stored
   */
  public ListenerRegistration registration(HeaderMask mask) {
    return new ListenerRegistration(LISTENER, new DiffListener(recorder, mask), setup.queueMaxExchanges(),
        setup.queueMaxBytes(), DiffMetrics.DROPPED);
  }

  /** Whether the diff compares anything under {@code setup}: only then is its listener worth attaching. */
  public static boolean wanted(DiffSetup setup) {
    return setup.policy().enabled() && setup.policy().samplePercent() > 0;
  }

  /**
   * Mounts {@code /diff} and {@code /api/diff/*} on the admin router, whose guard already decided who may change
   * things (rules, clear).
   */
  public Consumer<Router> routes(Vertx vertx) {
    return admin -> admin.route("/*").subRouter(DiffRoutes.create(vertx, recorder, RoutingContext::next));
  }

  /** Applies a config change: on / off, sampling and the comparison rules at once; the rest after a restart. */
  public void apply(DiffSetup previous, DiffSetup current) {
    if (!Objects.equals(previous.policy(), current.policy())) {
      recorder.updatePolicy(current.policy());
      LOG.info("diff {} at {} %", current.policy().enabled() ? "on" : "off", current.policy().samplePercent());
    }
    if (!Objects.equals(previous.comparison(), current.comparison())) {
      recorder.updateConfig(current.comparison());
      LOG.info("diff comparison rules updated");
    }
    if (!Objects.equals(previous.dashboard(), current.dashboard())
        || !Objects.equals(previous.dataDir(), current.dataDir())
        || previous.queueMaxExchanges() != current.queueMaxExchanges()
        || previous.queueMaxBytes() != current.queueMaxBytes()) {
      LOG.warn("shadowcar.diff.samples.* / store.* / queue.* / trend.* or shadowcar.data.dir changed: takes effect "
          + "after a restart");
    }
  }

  /** Writes what is pending and closes the store; call after the listener's queue drained. */
  public void close() {
    recorder.close();
  }
}
