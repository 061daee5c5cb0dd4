package io.shadowcar.templates;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What one render of one template did.
 *
 * @param template the template's name
 * @param result how the render ended
 * @param error why it failed; empty unless {@link RenderResult#failed()}
 * @param at when the render started
 * @param command the command run after this render's write; empty when nothing was written or there is no command
 */
public record RenderReport(
    String template, RenderResult result, Optional<String> error, Instant at, Optional<CommandResult> command) {

  public RenderReport {
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(error, "error");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(command, "command");
  }

  /** The render failed, or the command it ran did not end with exit code 0. */
  public boolean failed() {
    return result.failed() || command.map(c -> c.outcome() != CommandResult.Outcome.OK).orElse(false);
  }
}
