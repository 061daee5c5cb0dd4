package io.shadowcar.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FieldPathsTest {

  @Test
  void keyReplacesEveryIndexWithAStar() {
    assertEquals("body.items[*].tags[*]", FieldPaths.key("body.items[3].tags[10]"));
    assertEquals("body[\"x[0]\"].y[*]", FieldPaths.key("body[\"x[0]\"].y[2]"));
    assertEquals("header.date", FieldPaths.key("header.date"));
  }

  @Test
  void aPatternCoversThePathAndEverythingBeneath() {
    assertTrue(FieldPaths.covers("body.meta", "body.meta.a.b"));
    assertTrue(FieldPaths.covers("body.meta.*", "body.meta.a.b"));
    assertTrue(FieldPaths.covers("body.items[*].updatedAt", "body.items[*].updatedAt"));
    assertTrue(FieldPaths.covers("body.items", "body.items[*].price"));
    assertFalse(FieldPaths.covers("body.meta.*", "body.meta"));
    assertFalse(FieldPaths.covers("body.met", "body.meta"));
    assertFalse(FieldPaths.covers("body.items[*].updatedAt", "body.items[*].price"));
  }

  @Test
  void aStarStaysInsideOneSegment() {
    assertTrue(FieldPaths.covers("header.x-b3-*", "header.x-b3-traceid"));
    assertTrue(FieldPaths.covers("body.*.id", "body.user.id"));
    assertFalse(FieldPaths.covers("body.*.id", "body.user.address.zip"));
    assertFalse(FieldPaths.covers("body.*.id", "body.user.name"));
  }

  @Test
  void setPathsMustMatchWhole() {
    assertTrue(FieldPaths.matchesExactly("body.groups[*].tags", "body.groups[*].tags"));
    assertFalse(FieldPaths.matchesExactly("body.groups", "body.groups[*].tags"));
  }
}
