package io.shadowcar.sink.observe;

import io.shadowcar.tee.CapturedResponse;

/**
 * What one shadow made of its copy: a response (any status), or a failure (refused, reset, deadline). Exactly one of
 * the two is set.
 *
 * @param response the shadow's response, its body cut at {@code shadowcar.shadow.maxCapturedResponseBytes}
 * @param failure why there is no response
 */
public record ShadowOutcome(CapturedResponse response, Throwable failure) {

  public ShadowOutcome {
    if ((response == null) == (failure == null)) {
      throw new IllegalArgumentException("outcome: exactly one of response and failure (expected: one)");
    }
  }

  public static ShadowOutcome answered(CapturedResponse response) {
    return new ShadowOutcome(response, null);
  }

  public static ShadowOutcome failed(Throwable failure) {
    return new ShadowOutcome(null, failure);
  }

  public boolean answered() {
    return response != null;
  }

  long bodyBytes() {
    return response == null ? 0 : response.body().length();
  }
}
