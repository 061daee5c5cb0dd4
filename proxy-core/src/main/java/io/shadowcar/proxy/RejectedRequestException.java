package io.shadowcar.proxy;

/**
 * Thrown inside the request decoder to turn a request into an invalid one carrying its {@link Rejection}. Has no
 * stack trace: it is an expected answer to a caller's bytes, never a bug.
 */
final class RejectedRequestException extends RuntimeException {

  private final transient Rejection rejection;

  RejectedRequestException(Rejection rejection) {
    super(rejection.tag(), null, false, false);
    this.rejection = rejection;
  }

  Rejection rejection() {
    return rejection;
  }
}
