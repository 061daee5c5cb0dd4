package io.shadowcar.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointTemplatesTest {

  private final EndpointTemplates auto = EndpointTemplates.of(List.of());

  @Test
  void collapsesNumericIdsAndDropsTheQuery() {
    assertEquals("GET /users/{id}/orders/{id}", auto.endpointKey("get", "/users/123/orders/7?expand=items#top"));
  }

  @Test
  void collapsesUuids() {
    assertEquals("/carts/{id}", auto.template("/carts/3F2504E0-4F89-11D3-9A0C-0305E82C3301"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"9f86d081884c7d65", "deadbeefdeadbeef", "a1b2c3d4", "2fd4e1c67a2d28fced849ee1bb76e739",
      "eyJhbGciOiJIUzI1NiJ9abc123", "AbCdEfGhIjKlMnOpQr_-12", "dGhpcyBpcyBhIHRva2VuMTIz=="})
  void collapsesHashesAndLongTokens(String segment) {
    assertTrue(EndpointTemplates.looksLikeId(segment), segment);
  }

  @ParameterizedTest
  @ValueSource(strings = {"users", "v2", "deadbeef", "me", "search-results", "abcdef12x", "orders.json",
      "a-very-long-slug-without-any-digit", "release-notes-2024", ""})
  void keepsWordsAndShortMixedSegments(String segment) {
    assertFalse(EndpointTemplates.looksLikeId(segment), segment);
  }

  @Test
  void keepsRootAndTrailingSlash() {
    assertEquals("/", auto.template(""));
    assertEquals("/", auto.template("/?q=1"));
    assertEquals("/users/", auto.template("/users/"));
  }

  @Test
  void readsThePathOfAnAbsoluteFormTarget() {
    assertEquals("/items/{id}", auto.template("http://shop.example:8080/items/55?x=y"));
    assertEquals("/", auto.template("https://shop.example"));
  }

  @Test
  void configuredTemplatesWinOverAutomaticDetectionInOrder() {
    EndpointTemplates t = EndpointTemplates.of(List.of("/users/me", "/users/{name}/profile", "/static/**",
        "/users/{id}"));
    assertEquals("GET /users/me", t.endpointKey("GET", "/users/me"));
    assertEquals("GET /users/{name}/profile", t.endpointKey("GET", "/users/ada/profile"));
    assertEquals("GET /users/{id}", t.endpointKey("GET", "/users/ada"));
    assertEquals("GET /static/**", t.endpointKey("GET", "/static/css/site.css"));
    assertEquals("GET /static/**", t.endpointKey("GET", "/static"));
    assertEquals("GET /other/{id}", t.endpointKey("GET", "/other/5"));
  }

  @Test
  void aTemplateVariableNeedsANonEmptySegment() {
    EndpointTemplates t = EndpointTemplates.of(List.of("/users/{name}"));
    assertEquals("/users/", t.template("/users/"));
  }

  @Test
  void rejectsMalformedTemplates() {
    assertEquals("templates: users/{id} (expected: a path starting with /)",
        assertThrows(IllegalArgumentException.class, () -> EndpointTemplates.of(List.of("users/{id}"))).getMessage());
    assertEquals("templates: /a/**/b (expected: ** only as the last segment)",
        assertThrows(IllegalArgumentException.class, () -> EndpointTemplates.of(List.of("/a/**/b"))).getMessage());
    assertEquals("templates: /a/x{id} (expected: {name} as a whole segment)",
        assertThrows(IllegalArgumentException.class, () -> EndpointTemplates.of(List.of("/a/x{id}"))).getMessage());
  }
}
