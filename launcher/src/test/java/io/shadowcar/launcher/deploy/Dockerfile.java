package io.shadowcar.launcher.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A Dockerfile as a list of instructions (continuation lines joined, comments dropped), grouped by stage: enough to
 * check what hadolint would (pinned bases, a non-root USER, a HEALTHCHECK) and what each COPY needs.
 */
record Dockerfile(List<Instruction> instructions) {

  /** One instruction: its keyword in upper case, and the rest of the line as written. */
  record Instruction(int stage, String keyword, String arguments) {}

  static Dockerfile parse(String text) {
    List<Instruction> instructions = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    int stage = -1;
    for (String raw : text.split("\n", -1)) {
      String trimmed = raw.strip();
      if (line.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        line.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      line.append(trimmed);
      String full = line.toString().strip();
      line.setLength(0);
      int space = full.indexOf(' ');
      String keyword = (space < 0 ? full : full.substring(0, space)).toUpperCase(Locale.ROOT);
      if (keyword.equals("FROM")) {
        stage++;
      }
      instructions.add(new Instruction(stage, keyword, space < 0 ? "" : full.substring(space + 1).strip()));
    }
    return new Dockerfile(List.copyOf(instructions));
  }

  List<Instruction> all(String keyword) {
    return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
  }

  int lastStage() {
    return instructions.get(instructions.size() - 1).stage();
  }

  /** The instructions of the stage the image is made of. */
  List<Instruction> finalStage(String keyword) {
    return all(keyword).stream().filter(i -> i.stage() == lastStage()).toList();
  }
}
