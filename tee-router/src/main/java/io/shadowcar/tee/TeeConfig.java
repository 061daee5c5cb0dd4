package io.shadowcar.tee;

import io.shadowcar.common.config.InvalidValueException;
import io.vertx.core.http.HttpMethod;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * What the tee copies, as one immutable snapshot. The launcher builds it from the {@code shadowcar.shadow.*} and
 * {@code shadowcar.routes.*} keys and hands a new one to {@link TeeRouter#update} when dynamic config changes; an
 * invalid value throws {@link IllegalArgumentException} naming the field, and the router keeps the last good one.
 *
 * @param enabled the kill switch, {@code shadowcar.shadow.enabled} (default {@code true})
 * @param samplePercent share of eligible requests copied, 0–100 with decimals,
 *     {@code shadowcar.shadow.sample.percent}
 *     (default 100)
 * @param sampleKey consistent sampling key, {@code shadowcar.shadow.sample.key}, or {@code null} for a random draw
 * @param methods methods copied outside routes that opt in, {@code shadowcar.shadow.methods} (default
 *     GET,HEAD,OPTIONS); only safe methods (GET, HEAD, OPTIONS, TRACE) are accepted here, unsafe ones only per route
 * @param routes per-route rules, {@code shadowcar.routes.NAME.*}, first match wins; empty copies every path
 * @param sinks sink tags copies go to when no route names sinks; opaque here (the launcher knows which sinks exist
 *     and passes every configured one); empty means nothing is copied ({@code sink_down}) outside routes that name sinks
 * @param maxBodyBytes largest request body copied, {@code shadowcar.shadow.maxBodyBytes} (default 1 MiB)
 * @param maxBufferedBytes bytes all captures in flight may hold together, {@code shadowcar.shadow.maxBufferedBytes}
 *     (default 64 MiB; at least {@code maxBodyBytes})
 * @param markerHeader header set to {@code true} on every copy, {@code shadowcar.shadow.header} (default
 *     {@code X-Shadow-Request})
 * @param hostSuffix appended to the copy's Host name (before any port), {@code shadowcar.shadow.hostSuffix}
 *     (default empty)
 * @param stripHeaders header names removed from every copy, {@code shadowcar.shadow.stripHeaders} (default none)
 * @param credentialHeaders header names that carry a caller's credentials, removed from copies unless credentials are
 *     forwarded, {@code shadowcar.shadow.credentialHeaders} (default {@code Authorization,Cookie}): a shadow that
 *     holds a caller's credentials can act as that caller against anything it calls
 * @param forwardCredentials whether copies keep {@code credentialHeaders}, {@code shadowcar.shadow.forwardCredentials}
 *     (default false); a route may say otherwise
 * @param maxCapturedResponseBytes how much of the primary's response body is kept for the diff,
 *     {@code shadowcar.shadow.maxCapturedResponseBytes} (default 64 KiB); read once here, and handed on to the sinks
 *     (which cut the shadow's response at the same length, so both sides of a diff match). The router captures
 *     nothing of the body for a route whose sinks and listeners never read the primary's response
 */
public record TeeConfig(
    boolean enabled,
    double samplePercent,
    SampleKey sampleKey,
    Set<HttpMethod> methods,
    List<RouteRule> routes,
    Set<String> sinks,
    int maxBodyBytes,
    long maxBufferedBytes,
    String markerHeader,
    String hostSuffix,
    Set<String> stripHeaders,
    int maxCapturedResponseBytes,
    Set<String> credentialHeaders,
    boolean forwardCredentials) {

  /** Methods that do not change state (RFC 9110 section 9.2.1): the only ones copyable without a route opting in. */
  public static final Set<HttpMethod> SAFE_METHODS =
      Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.TRACE);

  public TeeConfig {
    checkPercent("sample.percent", samplePercent);
    methods = Set.copyOf(Objects.requireNonNull(methods, "methods"));
    for (HttpMethod method : methods) {
      if (!SAFE_METHODS.contains(method)) {
        throw new InvalidValueException("methods", method.name(),
            "GET, HEAD, OPTIONS, TRACE; opt unsafe methods in per route");
      }
    }
    routes = List.copyOf(Objects.requireNonNull(routes, "routes"));
    Set<String> names = new HashSet<>();
    for (RouteRule route : routes) {
      if (!names.add(route.name())) {
        throw new IllegalArgumentException("routes: " + route.name() + " appears twice (expected: unique names)");
      }
    }
    sinks = SinkTags.check("sinks", sinks);
    if (maxBodyBytes < 0) {
      throw new InvalidValueException("maxBodyBytes", maxBodyBytes, ">= 0");
    }
    if (maxBufferedBytes < maxBodyBytes) {
      throw new InvalidValueException("maxBufferedBytes", maxBufferedBytes, ">= maxBodyBytes " + maxBodyBytes);
    }
    if (markerHeader == null || !markerHeader.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
      throw new InvalidValueException("header", markerHeader, "a header name");
    }
    hostSuffix = Objects.requireNonNullElse(hostSuffix, "");
    if (!hostSuffix.matches("[A-Za-z0-9.-]*")) {
      throw new InvalidValueException("hostSuffix", hostSuffix, "letters, digits, '.', '-'");
    }
    stripHeaders = headerNames("stripHeaders", stripHeaders);
    credentialHeaders = headerNames("credentialHeaders", credentialHeaders);
    if (maxCapturedResponseBytes < 0) {
      throw new InvalidValueException("maxCapturedResponseBytes", maxCapturedResponseBytes, ">= 0");
    }
  }

  /**
   * The declared defaults ({@link TeeSettings}) with no routes and no sink (this module does not know which exist):
   * add them with {@link #withSinks}. For tests and embedding; the launcher binds the keys instead.
   */
  public static TeeConfig defaults() {
    Set<HttpMethod> methods = new java.util.LinkedHashSet<>();
    TeeSettings.METHODS.defaultValue().forEach(name -> methods.add(HttpMethod.valueOf(name)));
    return new TeeConfig(TeeSettings.ENABLED.defaultValue(), TeeSettings.SAMPLE_PERCENT.defaultValue(),
        TeeSettings.SAMPLE_KEY.defaultValue(), methods, List.of(), Set.of(), TeeSettings.MAX_BODY_BYTES.defaultValue(),
        TeeSettings.MAX_BUFFERED_BYTES.defaultValue(), TeeSettings.HEADER.defaultValue(),
        TeeSettings.HOST_SUFFIX.defaultValue(), Set.copyOf(TeeSettings.STRIP_HEADERS.defaultValue()),
        TeeSettings.MAX_CAPTURED_RESPONSE_BYTES.defaultValue(), Set.copyOf(TeeSettings.CREDENTIAL_HEADERS.defaultValue()),
        TeeSettings.FORWARD_CREDENTIALS.defaultValue());
  }

  public TeeConfig withEnabled(boolean value) {
    return new TeeConfig(value, samplePercent, sampleKey, methods, routes, sinks, maxBodyBytes, maxBufferedBytes,
        markerHeader, hostSuffix, stripHeaders, maxCapturedResponseBytes, credentialHeaders, forwardCredentials);
  }

  public TeeConfig withSinks(Set<String> value) {
    return new TeeConfig(enabled, samplePercent, sampleKey, methods, routes, value, maxBodyBytes, maxBufferedBytes,
        markerHeader, hostSuffix, stripHeaders, maxCapturedResponseBytes, credentialHeaders, forwardCredentials);
  }

  public TeeConfig withSampling(double percent, SampleKey key) {
    return new TeeConfig(enabled, percent, key, methods, routes, sinks, maxBodyBytes, maxBufferedBytes,
        markerHeader, hostSuffix, stripHeaders, maxCapturedResponseBytes, credentialHeaders, forwardCredentials);
  }

  public TeeConfig withRoutes(List<RouteRule> value) {
    return new TeeConfig(enabled, samplePercent, sampleKey, methods, value, sinks, maxBodyBytes, maxBufferedBytes,
        markerHeader, hostSuffix, stripHeaders, maxCapturedResponseBytes, credentialHeaders, forwardCredentials);
  }

  public TeeConfig withLimits(int bodyBytes, long bufferedBytes, int capturedResponseBytes) {
    return new TeeConfig(enabled, samplePercent, sampleKey, methods, routes, sinks, bodyBytes, bufferedBytes,
        markerHeader, hostSuffix, stripHeaders, capturedResponseBytes, credentialHeaders, forwardCredentials);
  }

  public TeeConfig withCopyHeaders(String marker, String suffix, Set<String> strip) {
    return new TeeConfig(enabled, samplePercent, sampleKey, methods, routes, sinks, maxBodyBytes, maxBufferedBytes,
        marker, suffix, strip, maxCapturedResponseBytes, credentialHeaders, forwardCredentials);
  }

  /** A copy whose copies keep ({@code forward}) or lose the {@code names} credential headers. */
  public TeeConfig withCredentials(Set<String> names, boolean forward) {
    return new TeeConfig(enabled, samplePercent, sampleKey, methods, routes, sinks, maxBodyBytes, maxBufferedBytes,
        markerHeader, hostSuffix, stripHeaders, maxCapturedResponseBytes, names, forward);
  }

  private static Set<String> headerNames(String field, Set<String> names) {
    Set<String> lower = new HashSet<>();
    for (String name : Objects.requireNonNullElse(names, Set.<String>of())) {
      if (name == null || name.isBlank()) {
        throw new InvalidValueException(field, "", "header names");
      }
      lower.add(name.trim().toLowerCase(Locale.ROOT));
    }
    return Set.copyOf(lower);
  }

  static void checkPercent(String field, double percent) {
    if (!(percent >= 0 && percent <= 100)) {
      throw new InvalidValueException(field, percent, "0 to 100");
    }
  }
}
