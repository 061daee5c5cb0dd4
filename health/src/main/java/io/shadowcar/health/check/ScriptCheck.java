package io.shadowcar.health.check;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * A script check: {@code .args} run directly, {@code .script} under {@code /bin/sh -c}. Exit 0 passing, 1 warning,
 * anything else (including death by signal and a command that cannot start) critical.
 */
public final class ScriptCheck implements HealthCheck {

  private final List<String> command;
  private final CheckDefinition definition;
  private final ScriptRunner runner;

  public ScriptCheck(CheckDefinition definition, ScriptRunner runner) {
    this.definition = definition;
    this.runner = runner;
    if (definition.target() instanceof CheckTarget.Args args) {
      this.command = args.args();
    } else if (definition.target() instanceof CheckTarget.Shell shell) {
      this.command = List.of("/bin/sh", "-c", shell.script());
    } else {
      throw new IllegalArgumentException(definition.name() + ": not a script check");
    }
  }

  @Override
  public CompletionStage<CheckResult> run() {
    return runner.run(command, definition.timeout());
  }
}
