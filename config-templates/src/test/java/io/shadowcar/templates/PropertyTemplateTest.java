package io.shadowcar.templates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PropertyTemplateTest {

  private static String render(String template, Map<String, String> config) throws TemplateException {
    return PropertyTemplate.parse(template).render(config);
  }

  @Test
  void substitutesValues() throws TemplateException {
    assertEquals("url=http://db:5432\nuser=app\n",
        render("url=http://${db.host}:${db.port}\nuser=${db.user}\n",
            Map.of("db.host", "db", "db.port", "5432", "db.user", "app")));
  }

  @Test
  void usesDefaultOnlyWhenKeyHasNoValue() throws TemplateException {
    assertEquals("a=10 b=set", render("a=${a:10} b=${b:x}", Map.of("b", "set")));
  }

  @Test
  void defaultMayBeEmptyOrHoldColons() throws TemplateException {
    assertEquals("e= url=http://x:80/", render("e=${e:} url=${u:http://x:80/}", Map.of()));
  }

  @Test
  void emptyValueCountsAsAValue() throws TemplateException {
    assertEquals("v=", render("v=${v:fallback}", Map.of("v", "")));
  }

  @Test
  void doubleDollarBraceIsALiteralPlaceholder() throws TemplateException {
    assertEquals("literal=${not.a.key} value=1", render("literal=$${not.a.key} value=${k}", Map.of("k", "1")));
  }

  @Test
  void loneDollarsAreCopiedAsIs() throws TemplateException {
    assertEquals("cost=$5 pid=$$ end$", render("cost=$5 pid=$$ end$", Map.of()));
  }

  @Test
  void valuesAreInsertedVerbatimNotReparsed() throws TemplateException {
    assertEquals("v=${other}", render("v=${k}", Map.of("k", "${other}")));
  }

  @Test
  void missingKeyWithoutDefaultNamesEveryMissingKey() {
    TemplateException e = assertThrows(TemplateException.class,
        () -> render("${a} ${b:ok} ${c} ${a}", Map.of()));
    assertEquals(RenderResult.MISSING_KEY, e.result());
    assertEquals("no value and no default for a, c", e.getMessage());
  }

  @Test
  void reportsKeysInOrderOfFirstUse() throws TemplateException {
    assertEquals(List.of("z", "a", "m"), List.copyOf(PropertyTemplate.parse("${z} ${a:1} $${q} ${z} ${m}").keys()));
  }

  @Test
  void rejectsUnclosedPlaceholderWithPosition() {
    TemplateException e = assertThrows(TemplateException.class, () -> PropertyTemplate.parse("a=1\nb=${oops\n"));
    assertEquals(RenderResult.INVALID_TEMPLATE, e.result());
    assertTrue(e.getMessage().startsWith("line 2, column 3:"), e.getMessage());
  }

  @Test
  void rejectsNestedPlaceholders() {
    TemplateException e = assertThrows(TemplateException.class, () -> PropertyTemplate.parse("${a:${b}}"));
    assertTrue(e.getMessage().contains("nested"), e.getMessage());
  }

  @Test
  void rejectsEmptyOrSpacedKeys() {
    assertEquals(RenderResult.INVALID_TEMPLATE,
        assertThrows(TemplateException.class, () -> PropertyTemplate.parse("${}")).result());
    assertEquals(RenderResult.INVALID_TEMPLATE,
        assertThrows(TemplateException.class, () -> PropertyTemplate.parse("${ a }")).result());
    assertEquals(RenderResult.INVALID_TEMPLATE,
        assertThrows(TemplateException.class, () -> PropertyTemplate.parse("${:x}")).result());
  }
}
