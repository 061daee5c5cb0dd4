package io.shadowcar.diff;

import java.util.Objects;

/** One header line as it was on the wire: the name keeps its case, the order of lines is kept by the holder. */
public record HttpHeader(String name, String value) {

  public HttpHeader {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
  }

  public static HttpHeader of(String name, String value) {
    return new HttpHeader(name, value);
  }
}
