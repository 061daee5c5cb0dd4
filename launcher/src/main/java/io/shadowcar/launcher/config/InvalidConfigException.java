package io.shadowcar.launcher.config;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when a configuration snapshot cannot be bound; carries every problem found, not just the first. */
public final class InvalidConfigException extends RuntimeException {

  private final transient List<ConfigProblem> problems;

  public InvalidConfigException(List<ConfigProblem> problems) {
    super(problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("; ")));
    this.problems = List.copyOf(problems);
  }

  public List<ConfigProblem> problems() {
    return problems;
  }
}
