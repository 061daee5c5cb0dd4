package io.shadowcar.proxy;

/**
 * Which fields a caller's request trailers must not carry, whatever its HTTP version. RFC 9110 §6.5.1 lets a
 * trailer field be sent only when its definition allows it there; the ones below never are, and a primary that merges
 * trailers into its headers would let them change how the request was framed or routed after the proxy checked its
 * head: pseudo-header fields (RFC 9113 §8.1), {@code Content-Length}, {@code Transfer-Encoding}, {@code Host},
 * {@code Trailer}, and the connection-specific fields ({@link ForwardedHeaders#isHopByHop}: {@code Connection},
 * {@code Keep-Alive}, {@code TE}, {@code Upgrade}, {@code Proxy-*}). A request carrying one is refused
 * ({@link Rejection#BAD_TRAILER}).
 */
final class TrailerRules {

  private TrailerRules() {}

  /** True when {@code name} (any case) must not be a request trailer field. */
  static boolean forbidden(CharSequence name) {
    int len = name.length();
    if (len == 0 || name.charAt(0) == ':') {
      return true;
    }
    String text = name.toString();
    return ForwardedHeaders.isHopByHop(text)
        || len == 4 && text.equalsIgnoreCase("host")
        || len == 7 && text.equalsIgnoreCase("trailer")
        || len == 14 && text.equalsIgnoreCase("content-length");
  }

  /** The size a field counts for against {@code maxHeaderBytes}: its HTTP/1.1 form, {@code name: value\r\n}. */
  static int size(CharSequence name, CharSequence value) {
    return name.length() + value.length() + 4;
  }
}
