package io.shadowcar.templates;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The launcher's {@code --once} and {@code --dry}: render every template one time on the calling thread and return
 * a process exit code. Blocking (files, commands): call from {@code main}, never an event loop. Not for the running
 * sidecar: see {@link TemplateRenderer}.
 */
public final class TemplateCli {

  /** Every template rendered (written or unchanged) and every command that ran exited 0. */
  public static final int EXIT_OK = 0;
  /** At least one template failed to render, or a command failed or timed out. */
  public static final int EXIT_FAILED = 1;

  private TemplateCli() {}

  /**
   * For {@code --check-config}: one line per template whose source cannot be read or is not a valid template, each
   * starting with the {@code source} key. Keys missing from the config are not problems here: they may come from a
   * dynamic source later. Empty when every source is fine.
   */
  public static List<String> check(List<TemplateConfig> templates) {
    Clock clock = Clock.systemUTC();
    List<String> problems = new ArrayList<>();
    for (TemplateConfig config : templates) {
      try {
        new TemplateJob(config, new TargetWriter(), new CommandRunner(clock), clock).parse();
      } catch (TemplateException e) {
        problems.add(TemplateSettings.SOURCE.key(config.name()) + ": "
            + config.source() + ": " + e.getMessage());
      }
    }
    return List.copyOf(problems);
  }

  /**
   * {@code --once}: renders every template, writes those whose bytes change, runs their commands, and prints one line
   * per template (and per command) to {@code out}. All templates are attempted even after a failure.
   *
   * @return {@link #EXIT_OK} or {@link #EXIT_FAILED}
   */
  public static int renderOnce(List<TemplateConfig> templates, Map<String, String> snapshot, PrintStream out) {
    Clock clock = Clock.systemUTC();
    TargetWriter writer = new TargetWriter();
    CommandRunner commands = new CommandRunner(clock);
    int exit = EXIT_OK;
    for (TemplateConfig config : templates) {
      RenderReport report = new TemplateJob(config, writer, commands, clock).render(snapshot);
      out.println("template " + config.name() + ": " + report.result().tag() + " " + config.target()
          + report.error().map(e -> ": " + e).orElse(""));
      report.command().ifPresent(c -> out.println("template " + config.name() + ": command " + c.outcome().tag()
          + " (exit code " + c.exitCode() + ")" + (c.output().isEmpty() ? "" : "\n" + c.output().stripTrailing())));
      if (report.failed()) {
        exit = EXIT_FAILED;
      }
    }
    return exit;
  }

  /**
   * {@code --dry}: prints what each template would write, as {@code > TARGET} (with {@code (unchanged)} when the
   * target already holds it) followed by the content; a template that cannot render prints {@code ! NAME: error}.
   * Writes no file and runs no command.
   *
   * @return {@link #EXIT_OK}, or {@link #EXIT_FAILED} when any template cannot render
   */
  public static int dryRun(List<TemplateConfig> templates, Map<String, String> snapshot, PrintStream out) {
    Clock clock = Clock.systemUTC();
    int exit = EXIT_OK;
    for (TemplateConfig config : templates) {
      try {
        String content = new TemplateJob(config, new TargetWriter(), new CommandRunner(clock), clock)
            .preview(snapshot);
        boolean unchanged = TargetWriter.holds(config.target(), content.getBytes(StandardCharsets.UTF_8));
        out.println("> " + config.target() + (unchanged ? " (unchanged)" : ""));
        out.print(content);
        if (!content.isEmpty() && !content.endsWith("\n")) {
          out.println();
        }
      } catch (TemplateException e) {
        out.println("! " + config.name() + ": " + e.result().tag() + ": " + e.getMessage());
        exit = EXIT_FAILED;
      }
    }
    out.flush();
    return exit;
  }
}
