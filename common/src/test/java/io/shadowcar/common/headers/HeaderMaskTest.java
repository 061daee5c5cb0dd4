package io.shadowcar.common.headers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeaderMaskTest {

  private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] OTHER_KEY = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII);

  @Test
  void replacesTheValuesOfMaskedNamesInAnyCaseAndKeepsTheRestInOrder() {
    HeaderMask mask = HeaderMask.of(List.of("Authorization", "cookie"), KEY);
    List<Map.Entry<String, String>> masked = mask.apply(List.of(Map.entry("authorization", "Bearer s3cret"),
        Map.entry("Accept", "text/plain"), Map.entry("COOKIE", "sid=42")));
    assertEquals("authorization", masked.get(0).getKey());
    assertTrue(masked.get(0).getValue().matches("hmac:[0-9a-f]{32}"), masked.get(0).getValue());
    assertEquals(Map.entry("Accept", "text/plain"), masked.get(1));
    assertTrue(masked.get(2).getValue().startsWith("hmac:"));
    assertTrue(masked.stream().noneMatch(h -> h.getValue().contains("s3cret") || h.getValue().contains("sid=")));
  }

  @Test
  void onlyTheNamesThemselvesAreMaskedWhateverTheirLengthOrCase() {
    HeaderMask mask = HeaderMask.of(List.of("X-Api-Key", "Cookie", "proxy-authorization"), KEY);
    assertTrue(mask.masks("x-API-key") && mask.masks("COOKIE") && mask.masks("Proxy-Authorization"));
    for (String other : List.of("x-api-kez", "cookies", "cooki", "", "set-cookie", "x-api-key-2",
        "a-header-name-longer-than-any-masked-one")) {
      assertTrue(!mask.masks(other), other);
    }
    List<Map.Entry<String, String>> headers = List.of(Map.entry("Accept", "a"), Map.entry("Host", "h"),
        Map.entry("cookie", "sid=1"), Map.entry("X-Other", "o"));
    List<Map.Entry<String, String>> masked = mask.apply(headers);
    assertEquals(headers.subList(0, 2), masked.subList(0, 2));
    assertEquals(Map.entry("cookie", mask.mask("sid=1")), masked.get(2));
    assertEquals(Map.entry("X-Other", "o"), masked.get(3));
    assertTrue(!HeaderMask.none().masks("cookie"));
  }

  @Test
  void equalValuesStayEqualAndDifferentValuesOrKeysDiffer() {
    HeaderMask mask = HeaderMask.of(List.of("X-Api-Key"), KEY);
    assertEquals(mask.mask("k-1"), mask.mask("k-1"));
    assertNotEquals(mask.mask("k-1"), mask.mask("k-2"));
    assertNotEquals(mask.mask("k-1"), HeaderMask.of(List.of("X-Api-Key"), OTHER_KEY).mask("k-1"),
        "another deployment's key gives other masks");
  }

  @Test
  void aMaskedValueIsNotMaskedTwiceAndNothingMaskedIsTheSameList() {
    HeaderMask mask = HeaderMask.of(List.of("Cookie"), KEY);
    String once = mask.mask("sid=1");
    assertEquals(once, mask.mask(once));
    List<Map.Entry<String, String>> plain = List.of(Map.entry("Accept", "*/*"));
    assertSame(plain, mask.apply(plain));
    assertSame(plain, HeaderMask.none().apply(plain));
  }

  @Test
  void refusesAShortKey() {
    assertEquals("mask key: 4 bytes (expected: at least 16)", assertThrows(IllegalArgumentException.class,
        () -> HeaderMask.of(List.of("Cookie"), new byte[4])).getMessage());
  }
}
