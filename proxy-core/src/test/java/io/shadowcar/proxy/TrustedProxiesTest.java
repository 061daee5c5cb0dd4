package io.shadowcar.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shadowcar.common.config.InvalidValueException;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {

  @Test
  void matchesIpv4BlocksSingleAddressesAndIpv4MappedPeers() {
    TrustedProxies trusted = TrustedProxies.of(List.of("10.0.0.0/8", " 192.0.2.7 ", "172.16.0.0/12"));
    assertTrue(trusted.trusts("10.200.3.4"));
    assertTrue(trusted.trusts("192.0.2.7"));
    assertFalse(trusted.trusts("192.0.2.8"));
    assertTrue(trusted.trusts("172.31.255.255"));
    assertFalse(trusted.trusts("172.32.0.1"));
    assertTrue(trusted.trusts("::ffff:10.1.2.3"), "an IPv4 peer on a dual-stack socket");
    assertFalse(trusted.trusts("11.0.0.1"));
    assertFalse(trusted.trusts("not-an-ip"));
    assertFalse(trusted.trusts(null));
  }

  @Test
  void matchesIpv6BlocksWithOddPrefixLengths() {
    TrustedProxies trusted = TrustedProxies.of(List.of("2001:db8::/33", "::1"));
    assertTrue(trusted.trusts("2001:db8:7fff::1"));
    assertFalse(trusted.trusts("2001:db8:8000::1"));
    assertTrue(trusted.trusts("::1"));
    assertTrue(trusted.trusts("[::1]"));
    assertFalse(trusted.trusts("::2"));
    assertFalse(trusted.trusts("10.0.0.1"), "no IPv4 block");
  }

  @Test
  void trustsNobodyByDefaultAndEverybodyOnlyWhenToldSo() {
    assertFalse(TrustedProxies.none().trusts("127.0.0.1"));
    assertTrue(TrustedProxies.of(List.of("0.0.0.0/0")).trusts("203.0.113.9"));
  }

  @Test
  void refusesNamesAndBadPrefixes() {
    assertEquals("trustedProxies: proxy.internal (expected: IP addresses or CIDR blocks, e.g. 10.0.0.0/8, ::1)",
        assertThrows(InvalidValueException.class, () -> TrustedProxies.of(List.of("proxy.internal"))).getMessage());
    assertEquals("trustedProxies: 10.0.0.0/33 (expected: a prefix length 0-32 after the /)",
        assertThrows(InvalidValueException.class, () -> TrustedProxies.of(List.of("10.0.0.0/33"))).getMessage());
    assertThrows(InvalidValueException.class, () -> TrustedProxies.of(List.of("fd00::/x")));
  }
}
