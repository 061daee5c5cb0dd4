package io.shadowcar.proxy.tls;

import io.shadowcar.common.config.Setting;
import java.util.Locale;

/**
 * What shadowcar offers with ALPN to {@code https://} targets, for requests that are not gRPC calls (those always
 * offer {@code h2}) and not {@code Upgrade} requests (those always speak HTTP/1.1).
 */
public enum UpstreamAlpn {

  /** No ALPN: HTTP/1.1, the default upstream protocol of nginx and Envoy too. */
  HTTP_1_1("http/1.1"),
  /** Offer {@code h2} and {@code http/1.1}: HTTP/2 when the server picks it, else HTTP/1.1 on the same handshake. */
  H2_HTTP_1_1("h2,http/1.1");

  public static final UpstreamAlpn DEFAULT = HTTP_1_1;
  private static final String EXPECTED = "http/1.1 or h2,http/1.1";

  private final String text;

  UpstreamAlpn(String text) {
    this.text = text;
  }

  /** Whether {@code h2} is offered. */
  public boolean offersH2() {
    return this == H2_HTTP_1_1;
  }

  /** The value as written in the config. */
  @Override
  public String toString() {
    return text;
  }

  /** The value written as {@code http/1.1} or {@code h2,http/1.1} (case and spaces around the comma aside). */
  public static UpstreamAlpn parse(String raw) {
    String normalised = String.join(",", Setting.splitList(raw.toLowerCase(Locale.ROOT)));
    for (UpstreamAlpn value : values()) {
      if (value.text.equals(normalised)) {
        return value;
      }
    }
    return null;
  }

  /** The declaration of a target list's {@code PREFIX.tls.alpn} key. */
  public static Setting<UpstreamAlpn> setting(String key, String targets) {
    return Setting.of(key, DEFAULT.text, EXPECTED, UpstreamAlpn::parse, "ALPN offered to https:// " + targets
        + ": h2,http/1.1 = HTTP/2 when the server picks it (Upgrade requests stay HTTP/1.1); http/1.1 = no ALPN");
  }
}
