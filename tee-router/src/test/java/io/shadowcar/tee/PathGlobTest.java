package io.shadowcar.tee;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathGlobTest {

  @ParameterizedTest(name = "{0} ~ {1} = {2}")
  @CsvSource({
      "/api/**, /api, true",
      "/api/**, /api/, true",
      "/api/**, /api/users/7/orders, true",
      "/api/**, /apix, false",
      "/api/*, /api/users, true",
      "/api/*, /api/users/7, false",
      "/api/*/orders, /api/7/orders, true",
      "/api/*/orders, /api/7/8/orders, false",
      "/api/**/orders, /api/7/8/orders, true",
      "/api/**/orders, /api/orders, false",
      "/v?/items, /v2/items, true",
      "/v?/items, /v/items, false",
      "/v?/items, /v22/items, false",
      "/*.json, /a.json, true",
      "/*.json, /a/b.json, false",
      "/**, /, true",
      "/exact, /exact, true",
      "/exact, /exact/more, false",
      "/a%2Fb, /a%2Fb, true",
  })
  void matchesGlobs(String pattern, String path, boolean expected) {
    assertEquals(expected, new PathGlob(pattern).matches(path));
  }

  @ParameterizedTest
  @CsvSource({"/api/*, /api/users?x=/y, 10, true", "/api/*, /api/users/x?y, 12, false"})
  void matchesOnlyUpToTheGivenEnd(String pattern, String uri, int end, boolean expected) {
    assertEquals(expected, new PathGlob(pattern).matches(uri, end));
  }
}
