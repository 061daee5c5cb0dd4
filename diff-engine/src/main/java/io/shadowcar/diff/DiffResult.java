package io.shadowcar.diff;

import java.util.List;
import java.util.Objects;

/**
 * The comparison of one exchange. Immutable; plain data, so it serialises with Jackson as is.
 *
 * @param endpoint the endpoint key, {@code METHOD /template}
 * @param outcome SAME unless {@code differences} is non-empty
 * @param truncated true when a side's body was a truncated capture, so only the common prefix was compared
 * @param differences primary vs candidate, outside the ignore rules
 * @param ignored primary vs candidate, matched by an ignore rule: kept so a UI can show what was hidden
 * @param noise primary vs secondary outside the ignore rules (empty without a secondary)
 * @param differingLines for text bodies, how many lines differ in all ({@code differences} lists the first few)
 * @param secondary the secondary's side, null without a secondary
 */
public record DiffResult(
    String requestId,
    String endpoint,
    ExchangeOutcome outcome,
    BodyMode bodyMode,
    boolean truncated,
    List<Difference> differences,
    List<Difference> ignored,
    List<Difference> noise,
    boolean secondaryPresent,
    int differingLines,
    SideSummary primary,
    SideSummary candidate,
    SideSummary secondary) {

  public DiffResult {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(bodyMode, "bodyMode");
    differences = List.copyOf(differences);
    ignored = List.copyOf(ignored);
    noise = List.copyOf(noise);
  }
}
