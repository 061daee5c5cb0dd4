package io.shadowcar.common.config;

import java.util.List;
import java.util.stream.Collectors;

/** Every problem found in one configuration, so {@code --check-config} can name them all at once. */
public final class InvalidConfigException extends RuntimeException {

  private final List<ConfigProblem> problems;

  public InvalidConfigException(List<ConfigProblem> problems) {
    super(problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")), null, false, false);
    this.problems = List.copyOf(problems);
  }

  public List<ConfigProblem> problems() {
    return problems;
  }
}
