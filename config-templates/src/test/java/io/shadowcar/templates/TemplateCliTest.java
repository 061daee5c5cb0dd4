package io.shadowcar.templates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplateCliTest {

  @TempDir Path dir;

  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

  private TemplateConfig template(String name, String text) throws Exception {
    Path source = Files.writeString(dir.resolve(name + ".template"), text);
    return TemplateConfig.of(name, source, dir.resolve(name + ".properties"));
  }

  private String printed() {
    return printed.toString(StandardCharsets.UTF_8);
  }

  @Test
  void dryRunPrintsTargetAndContentAndWritesNothing() throws Exception {
    Path marker = dir.resolve("command-ran");
    TemplateConfig config = template("app", "port=${port}\nname=${name:orders}")
        .withCommand("touch '" + marker + "'", Duration.ofSeconds(30));

    int exit = TemplateCli.dryRun(List.of(config), Map.of("port", "8080"), out);

    assertEquals(TemplateCli.EXIT_OK, exit);
    assertEquals("> " + config.target() + "\nport=8080\nname=orders\n", printed());
    assertFalse(Files.exists(config.target()));
    assertFalse(Files.exists(marker));
  }

  @Test
  void dryRunSaysWhenTheTargetWouldNotChange() throws Exception {
    TemplateConfig config = template("app", "port=${port}\n");
    Files.writeString(config.target(), "port=8080\n");

    TemplateCli.dryRun(List.of(config), Map.of("port", "8080"), out);

    assertTrue(printed().startsWith("> " + config.target() + " (unchanged)\n"), printed());
  }

  @Test
  void dryRunFailsOnAMissingKeyAndStillShowsTheOthers() throws Exception {
    TemplateConfig broken = template("broken", "x=${nope}\n");
    TemplateConfig fine = template("fine", "y=1\n");

    int exit = TemplateCli.dryRun(List.of(broken, fine), Map.of(), out);

    assertEquals(TemplateCli.EXIT_FAILED, exit);
    assertTrue(printed().contains("! broken: missing_key: no value and no default for nope\n"), printed());
    assertTrue(printed().contains("> " + fine.target() + "\ny=1\n"), printed());
    assertFalse(Files.exists(broken.target()) || Files.exists(fine.target()));
  }

  @Test
  void onceWritesEveryTemplateRunsCommandsAndExitsZero() throws Exception {
    Path log = dir.resolve("ran");
    TemplateConfig config = template("app", "port=${port}\n")
        .withCommand("echo reloaded >> '" + log + "'", Duration.ofSeconds(30));

    int exit = TemplateCli.renderOnce(List.of(config), Map.of("port", "8080"), out);

    assertEquals(TemplateCli.EXIT_OK, exit);
    assertEquals("port=8080\n", Files.readString(config.target()));
    assertEquals("reloaded\n", Files.readString(log));
    assertTrue(printed().startsWith("template app: written " + config.target() + "\n"), printed());
  }

  @Test
  void onceExitsNonZeroWhenATemplateFailsButRendersTheOthers() throws Exception {
    TemplateConfig broken = template("broken", "x=${nope}\n");
    TemplateConfig fine = template("fine", "y=1\n");
    Files.writeString(broken.target(), "x=old\n");

    int exit = TemplateCli.renderOnce(List.of(broken, fine), Map.of(), out);

    assertEquals(TemplateCli.EXIT_FAILED, exit);
    assertEquals("x=old\n", Files.readString(broken.target()));
    assertEquals("y=1\n", Files.readString(fine.target()));
    assertTrue(printed().contains("template broken: missing_key"), printed());
  }

  @Test
  void onceExitsNonZeroWhenACommandFails() throws Exception {
    TemplateConfig config = template("app", "y=1\n").withCommand("echo boom; exit 2", Duration.ofSeconds(30));

    int exit = TemplateCli.renderOnce(List.of(config), Map.of(), out);

    assertEquals(TemplateCli.EXIT_FAILED, exit);
    assertEquals("y=1\n", Files.readString(config.target()));
    assertTrue(printed().contains("template app: command failed (exit code 2)\nboom"), printed());
  }

  @Test
  void onceExitsZeroWhenNothingChanged() throws Exception {
    TemplateConfig config = template("app", "y=1\n").withCommand("exit 9", Duration.ofSeconds(30));
    Files.writeString(config.target(), "y=1\n");

    assertEquals(TemplateCli.EXIT_OK, TemplateCli.renderOnce(List.of(config), Map.of(), out));
    assertEquals("template app: unchanged " + config.target() + "\n", printed());
  }

  @Test
  void checkNamesTheSourceKeyOfBrokenOrUnreadableTemplates() throws Exception {
    TemplateConfig broken = template("broken", "a=1\nb=${oops\n");
    TemplateConfig absent = TemplateConfig.of("absent", dir.resolve("absent.template"), dir.resolve("absent"));
    TemplateConfig fine = template("fine", "c=${needs.a.value}\n");

    List<String> problems = TemplateCli.check(List.of(broken, absent, fine));

    assertEquals(2, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("shadowcar.templates.broken.source: " + broken.source() + ": line 2, column 3:"),
        problems.get(0));
    assertTrue(problems.get(1).startsWith("shadowcar.templates.absent.source: "), problems.get(1));
  }

  @Test
  void shippedSampleTemplateRenders() throws Exception {
    Path sample = Path.of("../docs/examples/templates/app.properties.template");
    TemplateConfig config = TemplateConfig.of("app", sample, dir.resolve("app.properties"));

    int exit = TemplateCli.dryRun(List.of(config), Map.of("db.host", "db.internal", "db.user", "orders"), out);

    assertEquals(TemplateCli.EXIT_OK, exit, printed());
    assertTrue(printed().contains("db.url=jdbc:postgresql://db.internal:5432/orders\n"), printed());
    assertTrue(printed().contains("greeting=Hello ${user.name}\n"), printed());
  }
}
