package io.shadowcar.sink.http;

import static io.shadowcar.sink.http.HttpSinkSettings.*;

import io.shadowcar.common.config.ConfigView;
import io.shadowcar.common.config.Setting;
import io.shadowcar.proxy.tls.TlsBinding;
import io.shadowcar.proxy.tls.UpstreamTls;
import io.shadowcar.sink.ShadowSink;
import io.shadowcar.sink.ShadowSinkProvider;
import io.shadowcar.sink.SinkContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code http} sink: configured by {@code shadowcar.shadow.targets} (the candidate) and optionally
 * {@code shadowcar.shadow.secondary.targets}, whose live instances the launcher resolves.
 */
public final class HttpSinkProvider implements ShadowSinkProvider<HttpShadowSinkConfig> {

  public static final String TAG = "http";

  private static final Map<String, String> FIELDS = Map.of(
      "maxInflight", MAX_INFLIGHT.key(),
      "maxRatePerSecond", MAX_RATE_PER_SECOND.key(),
      "timeoutMs", TIMEOUT.key(),
      "maxPoolSize", MAX_POOL_SIZE.key(),
      "breakerFailureRatePercent", BREAKER_FAILURE_RATE_PERCENT.key(),
      "breakerMinimumCalls", BREAKER_MINIMUM_CALLS.key(),
      "breakerOpenMs", BREAKER_OPEN.key(),
      "eventLoops", EVENT_LOOPS.key());

  @Override
  public String tag() {
    return TAG;
  }

  @Override
  public List<Setting<?>> settings() {
    return HttpSinkSettings.all();
  }

  @Override
  public Optional<HttpShadowSinkConfig> bind(ConfigView in) {
    // Every value is read, so a bad one is reported even while the sink is off.
    int inflight = in.get(MAX_INFLIGHT);
    int rate = in.get(MAX_RATE_PER_SECOND);
    long timeoutMs = in.get(TIMEOUT).toMillis();
    int pool = in.get(MAX_POOL_SIZE);
    int loops = in.get(EVENT_LOOPS);
    float failureRate = in.get(BREAKER_FAILURE_RATE_PERCENT).floatValue();
    int minimumCalls = in.get(BREAKER_MINIMUM_CALLS);
    long openMs = in.get(BREAKER_OPEN).toMillis();
    UpstreamTls tls = TlsBinding.upstream(in, TLS_CA_FILE, TLS_VERIFY_HOSTNAME, TLS_ALPN);
    if (!in.isSet(TARGETS)) {
      return Optional.empty();
    }
    return Optional.ofNullable(in.build(() -> new HttpShadowSinkConfig(inflight, rate, timeoutMs, pool, failureRate,
        minimumCalls, openMs, tls, loops), FIELDS, MAX_INFLIGHT.key()));
  }

  @Override
  public ShadowSink create(HttpShadowSinkConfig config, SinkContext context) {
    return new HttpShadowSink(config, context.targets(TARGETS.key()), context.targets(SECONDARY_TARGETS.key()),
        context);
  }
}
