package io.shadowcar.diff;

import java.util.List;
import java.util.Objects;

/** What one instance did with the request: an {@link Answer} or a {@link Failure}. */
public sealed interface Response permits Response.Answer, Response.Failure {

  /** Time from sending the request to the end of the response (or to the failure), in nanoseconds. */
  long latencyNanos();

  /** True for a 5xx answer or any failure: what the error rates count. */
  boolean isError();

  /**
   * An HTTP answer.
   *
   * @param body the captured body bytes (at most the capture cap), never null
   * @param truncated true when the capture stopped at the cap: {@code body} is a prefix of the real body
   */
  record Answer(int status, List<HttpHeader> headers, byte[] body, boolean truncated, long latencyNanos)
      implements Response {

    private static final byte[] EMPTY = new byte[0];

    public Answer {
      if (status < 100 || status > 999) {
        throw new IllegalArgumentException("status: " + status + " (expected: 100..999)");
      }
      headers = List.copyOf(headers);
      body = body == null ? EMPTY : body;
    }

    public static Answer of(int status, List<HttpHeader> headers, byte[] body) {
      return new Answer(status, headers, body, false, 0L);
    }

    @Override
    public boolean isError() {
      return status >= 500;
    }

    /** The first header with this name (case-insensitive), or null. */
    public String header(String name) {
      for (HttpHeader h : headers) {
        if (h.name().equalsIgnoreCase(name)) {
          return h.value();
        }
      }
      return null;
    }
  }

  /** No answer: the connection failed or the deadline passed. */
  record Failure(FailureKind kind, String message, long latencyNanos) implements Response {

    public Failure {
      Objects.requireNonNull(kind, "kind");
      message = message == null ? "" : message;
    }

    @Override
    public boolean isError() {
      return true;
    }
  }
}
