package io.shadowcar.launcher.replay;

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

  private static final Set<String> FLAGS = Set.of("--allow-unsafe", "--json", "--help", "-h");

  private ReplayArguments() {}

  static ReplayOptions parse(String... args) throws BadArgumentException {
    String bootstrap = null;
    String topic = null;
    URI target = null;
    StartPosition from = null;
    long count = 0;
    Duration duration = Duration.ZERO;
    Pacing speed = null;
    Pacing rate = null;
    String route = null;
    Set<String> methods = Set.of();
    String path = null;
    boolean allowUnsafe = false;
    boolean json = false;
    double maxFailurePercent = DEFAULT_MAX_FAILURE_PERCENT;
    String group = null;
    int maxInflight = DEFAULT_MAX_INFLIGHT;
    Duration timeout = DEFAULT_TIMEOUT;
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      String value = null;
      int eq = name.indexOf('=');
      if (name.startsWith("--") && eq > 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (!FLAGS.contains(name)) {
        if (i + 1 >= args.length) {
          throw new BadArgumentException(name.startsWith("-") ? name + " needs a value" : "unknown argument: " + name);
        }
        value = args[++i];
      }
      switch (name) {
        case "--bootstrap" -> bootstrap = ArgumentValues.nonEmpty(name, value);
        case "--topic" -> topic = ArgumentValues.nonEmpty(name, value);
        case "--target" -> target = ArgumentValues.target(name, value);
        case "--from" -> from = from(value);
        case "--count" -> count = ArgumentValues.positiveLong(name, value);
        case "--duration" -> duration = ArgumentValues.duration(name, value);
        case "--speed" -> speed = new Pacing(Pacing.Mode.RECORDED, ArgumentValues.positiveDouble(name, value));
        case "--rate" -> rate = new Pacing(Pacing.Mode.FIXED_RATE, ArgumentValues.positiveDouble(name, value));
        case "--route" -> route = ArgumentValues.nonEmpty(name, value);
        case "--method" -> methods = methods(value);
        case "--path" -> path = path(value);
        case "--allow-unsafe" -> allowUnsafe = true;
        case "--json" -> json = true;
        case "--max-failure-percent" -> maxFailurePercent = percent(value);
        case "--group" -> group = ArgumentValues.nonEmpty(name, value);
        case "--max-inflight" -> maxInflight = (int) Math.min(10_000, ArgumentValues.positiveLong(name, value));
        case "--timeout" -> timeout = ArgumentValues.duration(name, value);
        case "--help", "-h" -> { }
        default -> throw new BadArgumentException("unknown argument: " + name);
      }
    }
    require("--bootstrap", bootstrap);
    require("--topic", topic);
    require("--target", target);
    if (speed != null && rate != null) {
      throw new BadArgumentException("--speed and --rate exclude each other (expected: one of them)");
    }
    if (timeout.isZero()) {
      throw new BadArgumentException("--timeout: 0 (expected: a duration > 0)");
    }
    if (from == null) {
      from = StartPosition.of(group == null ? StartPosition.Kind.LATEST : StartPosition.Kind.COMMITTED);
    }
    Pacing pacing = rate != null ? rate : speed != null ? speed : new Pacing(Pacing.Mode.RECORDED, 1);
    return new ReplayOptions(bootstrap, topic, target, from, count, duration, pacing, Optional.ofNullable(route),
        methods, Optional.ofNullable(path), allowUnsafe, json, maxFailurePercent, Optional.ofNullable(group),
        maxInflight, timeout);
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

  private static void require(String name, Object value) throws BadArgumentException {
    if (value == null) {
      throw new BadArgumentException(name + " is required");
    }
  }
}
