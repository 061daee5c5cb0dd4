package io.shadowcar.launcher.replay;

import io.shadowcar.launcher.cli.ArgumentList;
import io.shadowcar.launcher.cli.ArgumentValues;
import io.shadowcar.launcher.cli.ArgumentValues.BadArgumentException;
import io.shadowcar.launcher.replay.ReplayOptions.Pacing;
import io.shadowcar.launcher.replay.ReplayOptions.StartPosition;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Parses {@code replay}'s arguments into {@link ReplayOptions}; every mistake is one {@link BadArgumentException}.
 * Durations, URLs and numbers are read as every sub-command reads them ({@link ArgumentValues}).
 */
public final class ReplayArguments {

  static final String USAGE = """
      usage: java -jar shadowcar.jar replay --bootstrap HOST:PORT --topic TOPIC --target URL [options]

      Reads the exchanges the Kafka sink published and sends each request again to URL: same method, path and query,
      headers and body bytes, plus X-Shadow-Request: true and X-Replay: true.

        --from POS               earliest | latest | TIMESTAMP_MS | offset:N (each partition); default latest,
                                 or the group's committed offsets with --group
        --count N                stop after N requests replayed (sent or failed)
        --duration D             stop after D (e.g. 30s, 5m, 1h, 500ms)
        --speed X                keep the recorded gaps between requests, X times faster (default: 1)
        --rate R                 send R requests per second instead, evenly spaced
        --route GLOB             only records of matching tee routes
        --method M[,M...]        only these methods
        --path GLOB              only matching paths (* within a segment, ** across, ? one character)
        --allow-unsafe           also replay POST, PUT, PATCH, DELETE and other unsafe methods (skipped otherwise)
        --max-inflight N         requests in flight at once (default 64); reading pauses while full
        --timeout D              per request, to its response's end (default 10s)
        --max-failure-percent P  exit 1 when more than P % of requests fail (default 1)
        --group G                join consumer group G and commit what was replayed (default: no group, no commits)
        --json                   print the summary as JSON on stdout (progress stays on stderr)
        --help                   print this help and exit

      Without --count or --duration it runs until interrupted (Ctrl-C prints the summary).
      Exit codes: 0 done, 1 failures over --max-failure-percent or the topic could not be read, 2 bad arguments.
      """;

  static final int DEFAULT_MAX_INFLIGHT = 64;
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  static final double DEFAULT_MAX_FAILURE_PERCENT = 1;

  private static final Set<String> OPTIONS = Set.of("--bootstrap", "--topic", "--target", "--from", "--count",
      "--duration", "--speed", "--rate", "--route", "--method", "--path", "--max-failure-percent", "--group",
      "--max-inflight", "--timeout");
  private static final Set<String> FLAGS = Set.of("--allow-unsafe", "--json");

  private ReplayArguments() {}

  static ReplayOptions parse(String... args) throws BadArgumentException {
    ArgumentList in = ArgumentList.parse(args, OPTIONS, FLAGS);
    String bootstrap = ArgumentValues.nonEmpty("--bootstrap", in.required("--bootstrap"));
    String topic = ArgumentValues.nonEmpty("--topic", in.required("--topic"));
    URI target = ArgumentValues.target("--target", in.required("--target"));
    Optional<Pacing> speed = in.value("--speed", ArgumentValues::positiveDouble)
        .map(x -> new Pacing(Pacing.Mode.RECORDED, x));
    Optional<Pacing> rate = in.value("--rate", ArgumentValues::positiveDouble)
        .map(r -> new Pacing(Pacing.Mode.FIXED_RATE, r));
    if (speed.isPresent() && rate.isPresent()) {
      throw new BadArgumentException("--speed and --rate exclude each other (expected: one of them)");
    }
    Duration timeout = in.value("--timeout", ArgumentValues::duration).orElse(DEFAULT_TIMEOUT);
    if (timeout.isZero()) {
      throw new BadArgumentException("--timeout: 0 (expected: a duration > 0)");
    }
    Optional<String> group = in.value("--group", ArgumentValues::nonEmpty);
    StartPosition from = in.value("--from", (name, value) -> from(value)).orElseGet(
        () -> StartPosition.of(group.isEmpty() ? StartPosition.Kind.LATEST : StartPosition.Kind.COMMITTED));
    return new ReplayOptions(bootstrap, topic, target, from,
        in.value("--count", ArgumentValues::positiveLong).orElse(0L),
        in.value("--duration", ArgumentValues::duration).orElse(Duration.ZERO),
        rate.or(() -> speed).orElse(new Pacing(Pacing.Mode.RECORDED, 1)),
        in.value("--route", ArgumentValues::nonEmpty),
        in.value("--method", (name, value) -> methods(value)).orElse(Set.of()),
        in.value("--path", (name, value) -> path(value)),
        in.flag("--allow-unsafe"),
        in.flag("--json"),
        in.value("--max-failure-percent", (name, value) -> percent(value)).orElse(DEFAULT_MAX_FAILURE_PERCENT),
        group,
        in.value("--max-inflight", ArgumentValues.positiveUpTo(ArgumentValues.MAX_INFLIGHT))
            .orElse(DEFAULT_MAX_INFLIGHT),
        timeout);
  }

  private static StartPosition from(String value) throws BadArgumentException {
    String v = value.trim().toLowerCase(Locale.ROOT);
    try {
      if (v.equals("earliest")) {
        return StartPosition.of(StartPosition.Kind.EARLIEST);
      }
      if (v.equals("latest")) {
        return StartPosition.of(StartPosition.Kind.LATEST);
      }
      if (v.startsWith("offset:")) {
        long offset = Long.parseLong(v.substring("offset:".length()));
        if (offset >= 0) {
          return new StartPosition(StartPosition.Kind.OFFSET, offset);
        }
      } else {
        long timestamp = Long.parseLong(v);
        if (timestamp >= 0) {
          return new StartPosition(StartPosition.Kind.TIMESTAMP, timestamp);
        }
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new BadArgumentException("--from: '" + value + "' (expected: earliest, latest, TIMESTAMP_MS or offset:N)");
  }

  private static Set<String> methods(String value) throws BadArgumentException {
    Set<String> methods = new LinkedHashSet<>();
    for (String m : value.split(",")) {
      String method = m.trim().toUpperCase(Locale.ROOT);
      if (!method.matches("[A-Z][A-Z0-9_-]*")) {
        throw new BadArgumentException("--method: '" + value + "' (expected: a comma list of methods, e.g. GET,HEAD)");
      }
      methods.add(method);
    }
    return methods;
  }

  private static String path(String value) throws BadArgumentException {
    if (!value.startsWith("/")) {
      throw new BadArgumentException("--path: '" + value + "' (expected: a glob starting with /)");
    }
    return value;
  }

  private static double percent(String value) throws BadArgumentException {
    try {
      double p = Double.parseDouble(value);
      if (p >= 0 && p <= 100) {
        return p;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new BadArgumentException("--max-failure-percent: '" + value + "' (expected: a number from 0 to 100)");
  }
}
