package io.shadowcar.launcher.admin;

import io.netty.util.NetUtil;
import io.vertx.core.net.SocketAddress;
import java.util.Locale;

/** What counts as loopback, for a configured host and for a peer: literals and {@code localhost}, never a lookup. */
public final class Loopback {

  private Loopback() {}

  /**
   * True for {@code localhost} (and names under {@code .localhost}, RFC 6761), {@code 127.0.0.0/8} and {@code ::1}.
   * A wildcard ({@code 0.0.0.0}, {@code ::}) or any other name is not loopback.
   */
  public static boolean isLoopbackHost(String host) {
    if (host == null || host.isBlank()) {
      return false;
    }
    String h = bare(host.trim()).toLowerCase(Locale.ROOT);
    if (h.equals("localhost") || h.endsWith(".localhost")) {
      return true;
    }
    byte[] address = NetUtil.createByteArrayFromIpAddressString(h);
    if (address == null) {
      return false;
    }
    if (address.length == 4) {
      return address[0] == 127;
    }
    if (isV4Mapped(address)) {
      return address[12] == 127;
    }
    for (int i = 0; i < 15; i++) {
      if (address[i] != 0) {
        return false;
      }
    }
    return address[15] == 1;
  }

  /** True for {@code 0.0.0.0} and {@code ::}: every interface. */
  public static boolean isWildcardHost(String host) {
    byte[] address = host == null ? null : NetUtil.createByteArrayFromIpAddressString(bare(host.trim()));
    if (address == null) {
      return false;
    }
    for (byte b : address) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  /** True when the peer is a loopback address; a Unix socket or an unknown peer is not. */
  public static boolean isLoopback(SocketAddress peer) {
    if (peer == null || peer.hostAddress() == null) {
      return false;
    }
    return NetUtil.createByteArrayFromIpAddressString(bare(peer.hostAddress())) != null
        && isLoopbackHost(peer.hostAddress());
  }

  /** {@code ::1} for {@code [::1]}; other text unchanged. */
  static String bare(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  private static boolean isV4Mapped(byte[] address) {
    for (int i = 0; i < 10; i++) {
      if (address[i] != 0) {
        return false;
      }
    }
    return address[10] == (byte) 0xff && address[11] == (byte) 0xff;
  }
}
