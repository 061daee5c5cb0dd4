package io.shadowcar.proxy;

import io.netty.util.NetUtil;
import io.shadowcar.common.config.InvalidValueException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The peers whose {@code X-Forwarded-*} and {@code Forwarded} headers are believed: a list of IPv4 and IPv6 addresses
 * and CIDR blocks ({@code 10.0.0.0/8}, {@code 192.0.2.7}, {@code fd00::/8}). Anyone else could write anything there,
 * so the proxy replaces those headers with what it sees itself. An IPv4-mapped IPv6 peer ({@code ::ffff:10.1.2.3})
 * matches the IPv4 blocks. Immutable; matching parses a literal address, never resolves a name.
 */
public final class TrustedProxies {

  private static final TrustedProxies NONE = new TrustedProxies(List.of(), List.of());

  private final List<String> texts;
  private final Block[] blocks;

  private record Block(byte[] network, int prefix) {
    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (address[full] & mask) == (network[full] & mask);
    }
  }

  private TrustedProxies(List<String> texts, List<Block> blocks) {
    this.texts = List.copyOf(texts);
    this.blocks = blocks.toArray(new Block[0]);
  }

  /** Nobody is trusted: every caller's forwarding headers are replaced. */
  public static TrustedProxies none() {
    return NONE;
  }

  /**
   * Parses {@code 10.0.0.0/8}, {@code 2001:db8::/32}, {@code 192.0.2.7} (one address).
   *
   * @throws InvalidValueException naming the first entry that is not an IP literal with an optional prefix length
   */
  public static TrustedProxies of(List<String> entries) {
    Objects.requireNonNull(entries, "entries");
    List<Block> blocks = new ArrayList<>();
    for (String entry : entries) {
      blocks.add(parse(entry.trim()));
    }
    return blocks.isEmpty() ? NONE : new TrustedProxies(entries.stream().map(String::trim).toList(), blocks);
  }

  private static Block parse(String entry) {
    int slash = entry.indexOf('/');
    String ip = slash < 0 ? entry : entry.substring(0, slash);
    byte[] address = literal(ip);
    if (address == null) {
      throw new InvalidValueException("trustedProxies", entry, "IP addresses or CIDR blocks, e.g. 10.0.0.0/8, ::1");
    }
    int prefix = address.length * 8;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(entry.substring(slash + 1));
      } catch (NumberFormatException e) {
        prefix = -1;
      }
      if (prefix < 0 || prefix > address.length * 8) {
        throw new InvalidValueException("trustedProxies", entry,
            "a prefix length 0-" + address.length * 8 + " after the /");
      }
    }
    return new Block(address, prefix);
  }

  /** The address bytes of an IP literal (4 for IPv4 and IPv4-mapped IPv6, 16 for IPv6), or null. */
  private static byte[] literal(String ip) {
    String bare = ip.startsWith("[") && ip.endsWith("]") ? ip.substring(1, ip.length() - 1) : ip;
    int zone = bare.indexOf('%');
    if (zone >= 0) {
      bare = bare.substring(0, zone);
    }
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(bare);
    if (bytes != null && bytes.length == 16 && isV4Mapped(bytes)) {
      return Arrays.copyOfRange(bytes, 12, 16);
    }
    return bytes;
  }

  private static boolean isV4Mapped(byte[] bytes) {
    for (int i = 0; i < 10; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
  }

  /** True when {@code peer} (an IP literal, as a socket reports it) is in one of the blocks. */
  public boolean trusts(String peer) {
    if (blocks.length == 0 || peer == null) {
      return false;
    }
    byte[] address = literal(peer);
    if (address == null) {
      return false;
    }
    for (Block block : blocks) {
      if (block.contains(address)) {
        return true;
      }
    }
    return false;
  }

  public boolean isEmpty() {
    return blocks.length == 0;
  }

  /** The entries as configured. */
  public List<String> entries() {
    return texts;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrustedProxies other && texts.equals(other.texts);
  }

  @Override
  public int hashCode() {
    return texts.hashCode();
  }

  @Override
  public String toString() {
    return texts.isEmpty() ? "none" : String.join(",", texts);
  }
}
