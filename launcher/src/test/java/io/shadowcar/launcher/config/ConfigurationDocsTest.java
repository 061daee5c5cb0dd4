package io.shadowcar.launcher.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shadowcar.common.config.Setting;
import io.shadowcar.sink.ShadowSinkProvider;
import io.shadowcar.sink.ShadowSinkProviders;
import java.util.HashSet;
import java.util.Set;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md's key table is generated from the declared settings, so a default written in the docs can
 * never disagree with the one in the code. After adding or changing a setting, regenerate it with
 * {@code ./mvnw -pl launcher -am test -Dtest=ConfigurationDocsTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Ddocs.update=true}.
 */
class ConfigurationDocsTest {

  static final String BEGIN = "<!-- keys:begin (generated from the declared settings by ConfigurationDocsTest) -->";
  static final String END = "<!-- keys:end -->";
  private static final Path DOC = Path.of("..", "docs", "configuration.md");

  @Test
  void keyTableInTheDocsMatchesTheDeclaredSettings() throws IOException {
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);
    int begin = doc.indexOf(BEGIN);
    int end = doc.indexOf(END);
    assertTrue(begin >= 0 && end > begin, DOC + " must hold the generated table between " + BEGIN + " and " + END);
    String generated = table();
    String current = doc.substring(begin + BEGIN.length(), end);
    if (Boolean.getBoolean("docs.update") && !generated.equals(current)) {
      Files.writeString(DOC, doc.substring(0, begin + BEGIN.length()) + generated + doc.substring(end),
          StandardCharsets.UTF_8);
      return;
    }
    assertEquals(generated, current, "docs/configuration.md is out of date with the declared settings; regenerate it"
        + " with -Ddocs.update=true (see this test's javadoc)");
  }

  @Test
  void everyDeclaredSettingSaysWhatItMeans() {
    for (Setting<?> setting : KnownSettings.catalog().settings()) {
      assertTrue(!setting.description().isBlank(), setting.key());
    }
  }

  static String table() {
    StringBuilder out =
        new StringBuilder("\n\n| key | default | accepts | runtime | meaning |\n|---|---|---|---|---|\n");
    Set<String> testOnly = testScopeKeys();
    for (Setting<?> setting : KnownSettings.catalog().settings()) {
      if (testOnly.contains(setting.key())) {
        continue;
      }
      out.append("| `").append(setting.key()).append("` | ").append(defaultCell(setting)).append(" | ")
          .append(setting.isPassThrough() ? "see meaning" : setting.expected().replace("|", "\\|")).append(" | ")
          .append(setting.isRuntime() ? "yes" : "").append(" | ")
          .append(setting.description().replace("|", "\\|")).append(" |\n");
    }
    return out.append('\n').toString();
  }

  /** Keys of sink plugins that live in test code (the example file sink): not part of the shipped jar. */
  private static Set<String> testScopeKeys() {
    Set<String> keys = new HashSet<>();
    for (ShadowSinkProvider<?> provider : ShadowSinkProviders.loadAll()) {
      String location = String.valueOf(provider.getClass().getProtectionDomain().getCodeSource().getLocation());
      if (location.contains("test-classes")) {
        provider.settings().forEach(setting -> keys.add(setting.key()));
      }
    }
    return keys;
  }

  private static String defaultCell(Setting<?> setting) {
    if (setting.defaultText() == null) {
      return "—";
    }
    return setting.defaultText().isEmpty() ? "empty" : "`" + setting.defaultText() + "`";
  }
}
