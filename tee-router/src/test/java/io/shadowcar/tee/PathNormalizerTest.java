package io.shadowcar.tee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathNormalizerTest {

  @ParameterizedTest(name = "{0} is matched as {1}")
  @CsvSource({
      // dot segments (RFC 3986 §5.2.4), never above the root
      "/search/../orders/create, /orders/create",
      "/a/./b, /a/b",
      "/a/b/c/../../d, /a/d",
      "/../../a, /a",
      "/.., /",
      // trailing dot segments keep the directory's slash, like RFC 3986
      "/a/b/., /a/b/",
      "/a/b/.., /a/",
      "/a/b/../, /a/",
      // dots that are not whole segments are names
      "/a/.../b, /a/.../b",
      "/a/orders./b, /a/orders./b",
      "/.well-known/x, /.well-known/x",
      "/a/..b, /a/..b",
      // encoded dots and slashes are decoded first, so they cannot hide a dot segment
      "/search/%2e%2e/orders, /orders",
      "/search/%2E%2E/orders, /orders",
      "/search/.%2e/orders, /orders",
      "/search%2f..%2forders, /orders",
      "/search%2F%2E%2E%2Forders, /orders",
      "/a%2Fb, /a/b",
      "/a%2fb/c, /a/b/c",
      // repeated slashes collapse, before dot segments are resolved (as nginx does)
      "//a//b, /a/b",
      "/a//, /a/",
      "//, /",
      "/a//../b, /b",
      // a segment that is a dot segment before its ;parameters (Tomcat, Jetty)
      "/search/..;x=1/orders, /orders",
      "/search/..;/orders, /orders",
      "/a/.;x/b, /a/b",
      "/a/b;x/c, /a/b;x/c",
      // unreserved characters are decoded, other encodings keep their bytes in upper-case hex, one pass only
      "/%61%70%69/%7Eu%2Dx, /api/~u-x",
      "/a%3ab, /a%3Ab",
      "/a%20b, /a%20b",
      "/a%252e%252e/b, /a%252e%252e/b",
      "/a%2/b%zz%, /a%2/b%zz%",
      "/a%e4, /a%E4",
      "/plain/path, /plain/path",
  })
  void normalisesThePathForMatching(String path, String expected) {
    assertEquals(expected, PathNormalizer.normalize(path));
  }

  @ParameterizedTest
  @CsvSource({
      "/a/../b?x=/../y, 7, /b",
      "/a/b?q=1, 4, /a/b",
      "/a//b?q=%2e, 5, /a/b",
  })
  void normalisesOnlyUpToTheGivenEnd(String uri, int end, String expected) {
    assertEquals(expected, PathNormalizer.normalize(uri, end));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/a/b", "/api/users/7", "/a.b/c.", "/a/b/", "*"})
  void recognisesPathsThatAreAlreadyNormal(String path) {
    assertTrue(PathNormalizer.isNormal(path, path.length()));
    assertEquals(path, PathNormalizer.normalize(path));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/a/%62", "//a", "/a/./b", "/a/..", "/.well-known"})
  void sendsAnythingThatMightChangeToTheSlowPath(String path) {
    assertFalse(PathNormalizer.isNormal(path, path.length()));
  }

  @ParameterizedTest
  @CsvSource({"/a/../b, true", "/a/%2e/b, true", "/a/..;x/b, true", "/a/**, false", "/.well-known/**, false",
      "/a/*.., false"})
  void findsDotSegmentsInGlobs(String glob, boolean expected) {
    assertEquals(expected, PathNormalizer.hasDotSegment(glob));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/a/b", "/a/../b", "//x/./y/", "/%2e%2e/a%2Fb/%7e"})
  void normalisingTwiceChangesNothing(String path) {
    String once = PathNormalizer.normalize(path);
    assertEquals(once, PathNormalizer.normalize(once));
    assertFalse(PathNormalizer.hasDotSegment(once));
  }
}
