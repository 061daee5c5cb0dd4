package io.shadowcar.launcher.fleet;

import io.shadowcar.launcher.cli.ArgumentList;
import io.shadowcar.launcher.cli.ArgumentValues;
import io.shadowcar.launcher.cli.ArgumentValues.BadArgumentException;
import java.nio.file.Path;
import java.util.Set;

/** Parses {@code diff-dashboard}'s arguments into {@link DashboardOptions}; a mistake is one {@link BadArgumentException}. */
final class DashboardArguments {

  static final String USAGE = """
      usage: java -jar shadowcar.jar diff-dashboard --bootstrap HOST:PORT --results-topic TOPIC [options]

      The fleet's dashboard: reads the diff workers' results, counts each exchange once (results delivered twice are
      dropped by request id) and serves the same page and API as a sidecar's /diff (docs/diff.md, docs/fleet.md).

        --group G               consumer group of this dashboard (default shadowcar-diff-dashboard); one per dashboard
        --data-dir D            where diff.db is kept (default shadowcar-data)
        --admin-host H          address of the page and API (default 127.0.0.1)
        --admin-port P          their port (default 7070)
        --dedup-window N        request ids remembered to drop duplicates (default 100000)
        --config FILE           shadowcar.diff.* keys: thresholds, examples kept, store retention;
                                shadowcar.admin.tls.* for HTTPS on the port
        --json-log              log as JSON lines
        --help                  print this help and exit

      Runs until SIGTERM. Exit codes: 0 stopped, 1 the topic could not be read, the port was taken or a bad --config,
      2 bad arguments.
      """;

  static final String DEFAULT_GROUP = "shadowcar-diff-dashboard";
  static final int DEFAULT_DEDUP_WINDOW = 100_000;

  private static final Set<String> OPTIONS = Set.of("--bootstrap", "--results-topic", "--group", "--data-dir",
      "--admin-host", "--admin-port", "--dedup-window", "--config");
  private static final Set<String> FLAGS = Set.of("--json-log");

  private DashboardArguments() {}

  static DashboardOptions parse(String... args) throws BadArgumentException {
    ArgumentList in = ArgumentList.parse(args, OPTIONS, FLAGS);
    return new DashboardOptions(
        ArgumentValues.nonEmpty("--bootstrap", in.required("--bootstrap")),
        ArgumentValues.nonEmpty("--results-topic", in.required("--results-topic")),
        ArgumentValues.nonEmpty("--group", in.value("--group").orElse(DEFAULT_GROUP)),
        Path.of(ArgumentValues.nonEmpty("--data-dir", in.value("--data-dir").orElse("shadowcar-data"))),
        ArgumentValues.nonEmpty("--admin-host", in.value("--admin-host").orElse("127.0.0.1")),
        in.value("--admin-port", DashboardArguments::port).orElse(7070),
        in.value("--dedup-window", ArgumentValues.positiveUpTo(10_000_000)).orElse(DEFAULT_DEDUP_WINDOW),
        in.value("--config").map(Path::of),
        in.flag("--json-log"));
  }

  private static int port(String name, String value) throws BadArgumentException {
    try {
      int port = Integer.parseInt(value);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new BadArgumentException(name + ": '" + value + "' (expected: 0-65535)");
  }
}
