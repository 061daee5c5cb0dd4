package io.shadowcar.diff;

/** How the bodies of an exchange were compared, chosen from the content type (primary first, then candidate). */
public enum BodyMode {
  /** Both bodies empty: nothing to compare. */
  EMPTY,
  /** Structurally, field by field. */
  JSON,
  /** Declared JSON but at least one side did not parse: compared line by line as text. */
  INVALID_JSON,
  /** {@code application/x-www-form-urlencoded}, decoded key by key. */
  FORM,
  /** Line by line in the declared charset (UTF-8 by default). */
  TEXT,
  /** By length and SHA-256. */
  BINARY,
  /**
   * gRPC ({@code application/grpc...}): message by message, each by its raw bytes (length and SHA-256); the status is
   * compared as the {@code grpc-status} header. A side that is not whole messages falls back to {@link #BINARY}.
   */
  GRPC
}
