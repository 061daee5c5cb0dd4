package io.shadowcar.eureka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shadowcar.eureka.rest.CallResult;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The registrar's meters, resolved once per app so counting on the event loop is a map look-up and an add. Names are
 * in {@link EurekaMetrics}. A disabled registrar gets meters that nobody scrapes ({@link #unpublished()}).
 */
final class RegistrationMetrics {

  private final Map<CallResult, Counter> heartbeats = new EnumMap<>(CallResult.class);
  private final Map<CallResult, Counter> registrations = new EnumMap<>(CallResult.class);
  private final AtomicBoolean registered = new AtomicBoolean();

  private RegistrationMetrics(MeterRegistry meters, String app) {
    for (CallResult result : CallResult.values()) {
      heartbeats.put(result, Counter.builder(EurekaMetrics.HEARTBEATS).description("Eureka lease renewals")
          .tag(EurekaMetrics.TAG_APP, app).tag(EurekaMetrics.TAG_RESULT, result.label()).register(meters));
      registrations.put(result, Counter.builder(EurekaMetrics.REGISTRATIONS).description("Eureka registrations")
          .tag(EurekaMetrics.TAG_APP, app).tag(EurekaMetrics.TAG_RESULT, result.label()).register(meters));
    }
    Gauge.builder(EurekaMetrics.REGISTERED, registered, b -> b.get() ? 1 : 0)
        .description("1 while Eureka holds this instance's lease").tag(EurekaMetrics.TAG_APP, app)
        .strongReference(true).register(meters);
  }

  /** Meters of {@code app} registered in {@code meters}. */
  static RegistrationMetrics of(MeterRegistry meters, String app) {
    return new RegistrationMetrics(meters, app);
  }

  /** Meters kept out of every published registry: for a disabled registrar, which must not show an app tag. */
  static RegistrationMetrics unpublished() {
    return new RegistrationMetrics(new SimpleMeterRegistry(), "");
  }

  void heartbeat(CallResult result) {
    heartbeats.get(result).increment();
  }

  void registration(CallResult result) {
    registrations.get(result).increment();
  }

  void registered(boolean value) {
    registered.set(value);
  }

  boolean isRegistered() {
    return registered.get();
  }
}
