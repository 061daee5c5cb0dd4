package io.shadowcar.sink.observe;

import io.shadowcar.tee.CapturedResponse;
import java.util.Objects;
import java.util.Optional;

/**
 * One request and what became of it, for a diff: the primary's response and, per shadow role, the shadow's outcome.
 * The candidate is the shadow under test (the HTTP sink's target); the secondary is a second instance of the primary
 * version, which a diff engine uses to tell real differences from noise (candidate vs primary, secondary vs primary).
 *
 * @param sink the tag of the sink that reported it
 * @param request the copied request
 * @param primary the primary's response; empty when the primary exchange failed
 * @param candidate the candidate's outcome; empty for a sink that gets no response (e.g. {@code kafka})
 * @param secondary the secondary's outcome; empty when the copy went to no secondary
 *     ({@code shadowcar.shadow.secondary.targets} unset or without an instance, or a sink that has none)
 */
public record CompletedExchange(String sink, RequestCopy request, Optional<CapturedResponse> primary,
    Optional<ShadowOutcome> candidate, Optional<ShadowOutcome> secondary) {

  public CompletedExchange {
    Objects.requireNonNull(sink, "sink");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(primary, "primary");
    Objects.requireNonNull(candidate, "candidate");
    Objects.requireNonNull(secondary, "secondary");
  }

  /** Body bytes it holds (request, primary, shadows): what a listener queue's byte bound counts. */
  public long bodyBytes() {
    return request.body().length()
        + primary.map(r -> (long) r.body().length()).orElse(0L)
        + candidate.map(ShadowOutcome::bodyBytes).orElse(0L)
        + secondary.map(ShadowOutcome::bodyBytes).orElse(0L);
  }
}
