package io.shadowcar.templates;

import java.util.Objects;

/** A render that failed for a reason the operator must fix; the target is left as it was. */
public final class TemplateException extends Exception {

  private final RenderResult result;

  public TemplateException(RenderResult result, String message) {
    this(result, message, null);
  }

  public TemplateException(RenderResult result, String message, Throwable cause) {
    super(message, cause);
    if (!Objects.requireNonNull(result, "result").failed()) {
      throw new IllegalArgumentException("result: " + result + " (expected: a failure)");
    }
    this.result = result;
  }

  public RenderResult result() {
    return result;
  }
}
