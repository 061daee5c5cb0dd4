package io.shadowcar.launcher.admin;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who may use an admin port, resolved once at start: the {@code Host} values it answers (so a DNS-rebinding page,
 * whose requests carry the attacker's name, is refused), whether it is bound to loopback, and the token that
 * authorizes mutations. Immutable.
 *
 * <p>Answered hosts: loopback names and addresses, the configured admin host, {@code allowedHosts}, and, when bound to
 * every interface, this machine's interface addresses (what an operator types to reach it).
 */
public final class AdminAccess {

  private final boolean loopbackBound;
  private final Set<String> hosts;
  private final byte[] tokenDigest;

  private AdminAccess(boolean loopbackBound, Set<String> hosts, byte[] tokenDigest) {
    this.loopbackBound = loopbackBound;
    this.hosts = hosts;
    this.tokenDigest = tokenDigest;
  }

  /**
   * @param bindHost the host the port binds ({@code 127.0.0.1}, {@code 0.0.0.0}, a name)
   * @param token the admin token, if one is configured
   * @param allowedHosts further {@code Host} names or addresses to answer
   */
  public static AdminAccess of(String bindHost, Optional<String> token, Collection<String> allowedHosts) {
    Set<String> hosts = new TreeSet<>();
    hosts.add("localhost");
    allowedHosts.forEach(host -> hosts.add(normal(host)));
    if (Loopback.isWildcardHost(bindHost)) {
      hosts.addAll(interfaceAddresses());
    } else {
      hosts.add(normal(bindHost));
    }
    return new AdminAccess(Loopback.isLoopbackHost(bindHost), Set.copyOf(hosts),
        token.filter(t -> !t.isEmpty()).map(AdminAccess::digest).orElse(null));
  }

  /** Bound to loopback only: nobody off this machine can connect. */
  public boolean loopbackBound() {
    return loopbackBound;
  }

  public boolean hasToken() {
    return tokenDigest != null;
  }

  /** True for a {@code Host} (name or address, without port) this port answers. */
  public boolean answers(String host) {
    String h = normal(host);
    return Loopback.isLoopbackHost(h) || hosts.contains(h);
  }

  /**
   * True when {@code presented} is the token. Both sides are hashed first, so the comparison takes the same time
   * whatever the length or the first differing byte of a guess.
   */
  public boolean tokenMatches(String presented) {
    return tokenDigest != null && presented != null && MessageDigest.isEqual(tokenDigest, digest(presented));
  }

  private static byte[] digest(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  private static String normal(String host) {
    String h = Loopback.bare(host.trim()).toLowerCase(Locale.ROOT);
    int zone = h.indexOf('%');
    return zone >= 0 ? h.substring(0, zone) : h;
  }

  /** Every address of every interface that is up, as text (IPv6 without zone). Blocking: at start only. */
  private static Set<String> interfaceAddresses() {
    Set<String> out = new TreeSet<>();
    try {
      for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
        if (nic.isUp()) {
          nic.inetAddresses().map(InetAddress::getHostAddress).map(AdminAccess::normal).forEach(out::add);
        }
      }
    } catch (SocketException e) {
      // no interface list: loopback names, the configured ones and allowedHosts still work
    }
    return out;
  }
}
