package io.shadowcar.templates;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One template's render cycle: read and parse the source, substitute, write the target if its bytes change, run the
 * command after a write. Remembers which keys the template used and their values, to tell whether a new config
 * snapshot concerns it. Rendering is confined to one thread at a time (the renderer's worker, or the CLI's main
 * thread); {@link #status()} may be read from any thread.
 */
final class TemplateJob {

  private final TemplateConfig config;
  private final TargetWriter writer;
  private final CommandRunner commands;
  private final Clock clock;

  /** Values of the used keys at the last render; null until the source was parsed once. Render thread only. */
  private Map<String, String> seen;

  private volatile List<String> keys = List.of();
  private volatile RenderReport lastReport;
  private volatile Instant lastWrittenAt;
  private volatile CommandResult lastCommand;

  TemplateJob(TemplateConfig config, TargetWriter writer, CommandRunner commands, Clock clock) {
    this.config = config;
    this.writer = writer;
    this.commands = commands;
    this.clock = clock;
  }

  TemplateConfig config() {
    return config;
  }

  /**
   * True when {@code snapshot} gives a used key another value than the last render saw, or when the template never
   * parsed (then every change is a chance to succeed, e.g. after the source was fixed).
   */
  boolean affectedBy(Map<String, String> snapshot) {
    if (seen == null) {
      return true;
    }
    for (Map.Entry<String, String> used : seen.entrySet()) {
      if (!Objects.equals(snapshot.get(used.getKey()), used.getValue())) {
        return true;
      }
    }
    return false;
  }

  /** Renders without writing or running anything: the text the target would get. */
  String preview(Map<String, String> snapshot) throws TemplateException {
    return parse().render(snapshot);
  }

  /** Renders, writes when the bytes change, then runs the command. Never throws: failures are in the report. */
  RenderReport render(Map<String, String> snapshot) {
    Instant at = clock.instant();
    RenderReport report;
    seen = null; // stays null if the source cannot be read or parsed: any change is then a chance to retry
    try {
      PropertyTemplate template = parse();
      remember(template.keys(), snapshot);
      byte[] content = template.render(snapshot).getBytes(StandardCharsets.UTF_8);
      RenderResult result = writer.write(config, content);
      Optional<CommandResult> command = Optional.empty();
      if (result.wrote()) {
        lastWrittenAt = at;
        command = config.command().map(c -> commands.run(c, config.commandTimeout()));
        command.ifPresent(c -> lastCommand = c);
      }
      report = new RenderReport(config.name(), result, Optional.empty(), at, command);
    } catch (TemplateException e) {
      report = new RenderReport(config.name(), e.result(), Optional.of(e.getMessage()), at, Optional.empty());
    } catch (RuntimeException e) {
      // A bug or an odd file system must not stop the worker: report it like any failed write.
      report = new RenderReport(config.name(), RenderResult.WRITE_FAILED, Optional.of(e.toString()), at,
          Optional.empty());
    }
    lastReport = report;
    return report;
  }

  /** Reads and parses the source as it is now. */
  PropertyTemplate parse() throws TemplateException {
    String text;
    try {
      text = Files.readString(config.source(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new TemplateException(RenderResult.READ_FAILED,
          "cannot read source " + config.source() + " (" + TargetWriter.reason(e) + ")", e);
    }
    return PropertyTemplate.parse(text);
  }

  private void remember(Set<String> used, Map<String, String> snapshot) {
    Map<String, String> values = new HashMap<>();
    used.forEach(key -> values.put(key, snapshot.get(key)));
    seen = values;
    keys = List.copyOf(used);
  }

  /** The status entry of this template: names of the keys, never their values (they may be secrets). */
  Map<String, Object> status() {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("source", config.source().toString());
    status.put("target", config.target().toString());
    status.put("keys", keys);
    RenderReport report = lastReport;
    if (report != null) {
      status.put("lastRenderAt", report.at().toString());
      status.put("lastResult", report.result().tag());
      report.error().ifPresent(error -> status.put("lastError", error));
    }
    Instant written = lastWrittenAt;
    if (written != null) {
      status.put("lastWrittenAt", written.toString());
    }
    config.command().ifPresent(command -> {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("command", command);
      CommandResult result = lastCommand;
      if (result != null) {
        details.put("result", result.outcome().tag());
        details.put("exitCode", result.exitCode());
        details.put("startedAt", result.startedAt().toString());
        details.put("tookMs", result.took().toMillis());
        details.put("output", result.output());
      }
      status.put("command", details);
    });
    return status;
  }
}
