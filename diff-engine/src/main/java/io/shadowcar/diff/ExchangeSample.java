package io.shadowcar.diff;

import java.util.Objects;
import java.util.Optional;

/**
 * One request and what each instance answered to it: the unit the engine compares.
 *
 * @param secondary the answer of a second instance of the current version, or null when none was asked; it feeds
 *     the noise counters and is the baseline of the latency and error comparison
 */
public record ExchangeSample(RequestCopy request, Response primary, Response candidate, Response secondary) {

  public ExchangeSample {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(primary, "primary");
    Objects.requireNonNull(candidate, "candidate");
  }

  public static ExchangeSample of(RequestCopy request, Response primary, Response candidate) {
    return new ExchangeSample(request, primary, candidate, null);
  }

  public Optional<Response> secondaryResponse() {
    return Optional.ofNullable(secondary);
  }
}
