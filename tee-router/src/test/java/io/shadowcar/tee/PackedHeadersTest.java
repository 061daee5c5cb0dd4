package io.shadowcar.tee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PackedHeadersTest {

  @Test
  void keepsOrderRepeatedNamesEmptyValuesAndEqualsTheEntryList() {
    List<Map.Entry<String, String>> entries = List.of(
        Map.entry("Host", "api.example:8080"), Map.entry("Accept", ""), Map.entry("Set-Cookie", "a=1"),
        Map.entry("set-cookie", "b=2"), Map.entry("X-Name", "grüße ✓"));
    PackedHeaders packed = PackedHeaders.of(entries);

    assertEquals(entries, packed);
    assertEquals(packed, entries);
    assertEquals(entries.hashCode(), packed.hashCode());
    assertEquals(5, packed.size());
    assertEquals(Map.entry("Accept", ""), packed.get(1));
    assertEquals(entries, new ArrayList<>(packed));
    assertThrows(IndexOutOfBoundsException.class, () -> packed.get(5));
    assertThrows(UnsupportedOperationException.class, () -> packed.add(Map.entry("a", "b")));
  }

  @Test
  void findsTheFirstValueByNameIgnoringCaseWithoutMatchingPrefixes() {
    PackedHeaders packed = PackedHeaders.of(List.of(Map.entry("X-Request-Id-Old", "old"),
        Map.entry("x-request-id", "r-1"), Map.entry("X-REQUEST-ID", "r-2"), Map.entry("Empty", "")));

    assertEquals("r-1", packed.first("X-Request-Id"));
    assertEquals("old", packed.first("x-request-id-old"));
    assertEquals("", packed.first("empty"));
    assertNull(packed.first("X-Request"));
    assertNull(packed.first("Missing"));
    assertEquals("r-1", HeaderList.first(packed, "X-REQUEST-ID"));
  }

  @Test
  void packsVertxMapsAndAppendsTrailersAfterTheHead() {
    MultiMap head = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/grpc").add("Via", "a")
        .add("Via", "b");
    MultiMap trailers = MultiMap.caseInsensitiveMultiMap().add("grpc-status", "0");

    PackedHeaders all = PackedHeaders.of(head).concat(PackedHeaders.of(trailers));

    assertEquals(List.of(Map.entry("Content-Type", "application/grpc"), Map.entry("Via", "a"), Map.entry("Via", "b"),
        Map.entry("grpc-status", "0")), all);
    PackedHeaders none = PackedHeaders.of(MultiMap.caseInsensitiveMultiMap());
    assertTrue(none.isEmpty());
    assertSame(all, all.concat(none));
    assertEquals(all, none.concat(all));
  }

  @Test
  void growsPastTheExpectedCountAndIsNotCopiedAgain() {
    PackedHeaders.Builder builder = new PackedHeaders.Builder(1);
    for (int i = 0; i < 40; i++) {
      builder.add("h" + i, "v" + i);
    }
    PackedHeaders packed = builder.build();

    assertEquals(40, packed.size());
    assertEquals(Map.entry("h39", "v39"), packed.get(39));
    assertEquals("v17", packed.first("H17"));
    assertSame(packed, PackedHeaders.of(packed));
    assertSame(packed, new CapturedResponse(200, packed, null, false, 0, java.time.Duration.ZERO).headers());
  }

  @Test
  void refusesNullNamesAndValuesAsAnImmutableListWould() {
    List<Map.Entry<String, String>> withNull = new ArrayList<>();
    withNull.add(new java.util.AbstractMap.SimpleEntry<>("X-A", null));
    assertThrows(NullPointerException.class, () -> PackedHeaders.of(withNull));
    assertThrows(NullPointerException.class, () -> new PackedHeaders.Builder(1).add(null, "v"));
  }
}
