package io.shadowcar.diff;

/**
 * What the aggregate needs from one side of an exchange.
 *
 * @param status the HTTP status, or 0 for a failure
 * @param failure the failure kind, or null for an answer
 */
public record SideSummary(int status, FailureKind failure, long latencyNanos) {

  public static SideSummary of(Response response) {
    if (response instanceof Response.Answer a) {
      return new SideSummary(a.status(), null, a.latencyNanos());
    }
    Response.Failure f = (Response.Failure) response;
    return new SideSummary(0, f.kind(), f.latencyNanos());
  }

  /** A 5xx answer or a failure. */
  public boolean isError() {
    return failure != null || status >= 500;
  }
}
