package io.shadowcar.launcher.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommentLikeValuesTest {

  @Test
  void findsAValueThatCarriesWhatLooksLikeAnEndOfLineComment() {
    assertEquals(List.of("shadowcar.config.dynamic.file"), CommentLikeValues.find(Map.of(
        "shadowcar.config.dynamic.file", "/etc/shadowcar/dynamic.properties   # flip sampling here",
        "shadowcar.shadow.header", "X-Shadow-Request",
        "shadowcar.checks.db.script", "test -f /tmp/x#y || exit 2",
        "app.motto", "we are # one")));
  }
}
