package io.shadowcar.launcher.fleet;

import io.shadowcar.launcher.cli.ArgumentList;
import io.shadowcar.launcher.cli.ArgumentValues;
import io.shadowcar.launcher.cli.ArgumentValues.BadArgumentException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/** Parses {@code diff-worker}'s arguments into {@link WorkerOptions}; every mistake is one {@link BadArgumentException}. */
final class WorkerArguments {

  static final String USAGE = """
      usage: java -jar shadowcar.jar diff-worker --bootstrap HOST:PORT --topic TOPIC --candidate URL
                                                 --results-topic TOPIC --group GROUP [options]

      One diff worker of a fleet: joins consumer group GROUP on the exchange topic the sidecars' Kafka sink fills,
      replays each recorded request to the candidate (and the secondary), compares the answers with the recorded
      primary response and publishes one diff result per exchange to the results topic (docs/fleet.md). Run as many
      as the topic has partitions; Kafka spreads the partitions and moves a dead worker's to the others.

        --secondary URL          a second instance of the primary's version: what differs there is noise
        --rate R                 replay at most R requests per second (this worker; default: no cap)
        --max-inflight N         exchanges between reading and a published result (default 64); reading pauses
        --timeout D              per replayed request, to its response's end (default 10s)
        --max-body-bytes N       response body bytes compared, and kept per side in a result (default 65536)
        --from earliest|latest   where a group without committed offsets starts (default latest)
        --session-timeout D      how soon a dead worker's partitions move to the others (Kafka's default 45s)
        --config FILE            shadowcar.diff.* comparison keys (thresholds, ignore rules, templates)
        --json-log               log and print progress as JSON lines
        --help                   print this help and exit

      Runs until SIGTERM: then finishes what is in flight, publishes, commits and leaves the group.
      Exit codes: 0 stopped, 1 the topic could not be read, a result could not be published, or a bad --config;
      2 bad arguments.
      """;

  static final int DEFAULT_MAX_INFLIGHT = 64;
  static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;

  private static final Set<String> OPTIONS = Set.of("--bootstrap", "--topic", "--candidate", "--secondary",
      "--results-topic", "--group", "--rate", "--max-inflight", "--timeout", "--max-body-bytes", "--from",
      "--session-timeout", "--config");
  private static final Set<String> FLAGS = Set.of("--json-log");

  private WorkerArguments() {}

  static WorkerOptions parse(String... args) throws BadArgumentException {
    ArgumentList in = ArgumentList.parse(args, OPTIONS, FLAGS);
    String from = in.value("--from").orElse("latest");
    if (!from.equals("earliest") && !from.equals("latest")) {
      throw new BadArgumentException("--from: '" + from + "' (expected: earliest or latest)");
    }
    Duration timeout = in.value("--timeout", ArgumentValues::duration).orElse(Duration.ofSeconds(10));
    if (timeout.isZero()) {
      throw new BadArgumentException("--timeout: 0 (expected: a duration > 0)");
    }
    return new WorkerOptions(
        ArgumentValues.nonEmpty("--bootstrap", in.required("--bootstrap")),
        ArgumentValues.nonEmpty("--topic", in.required("--topic")),
        ArgumentValues.target("--candidate", in.required("--candidate")),
        in.value("--secondary", ArgumentValues::target),
        ArgumentValues.nonEmpty("--results-topic", in.required("--results-topic")),
        ArgumentValues.nonEmpty("--group", in.required("--group")),
        in.value("--rate", ArgumentValues::positiveDouble).orElse(0d),
        in.value("--max-inflight", ArgumentValues.positiveUpTo(ArgumentValues.MAX_INFLIGHT))
            .orElse(DEFAULT_MAX_INFLIGHT),
        timeout,
        in.value("--max-body-bytes", ArgumentValues.positiveUpTo(16 << 20)).orElse(DEFAULT_MAX_BODY_BYTES),
        from.equals("earliest"),
        in.value("--session-timeout", ArgumentValues::duration),
        in.value("--config").map(Path::of),
        in.flag("--json-log"));
  }
}
