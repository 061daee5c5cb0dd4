package io.shadowcar.launcher;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The parsed command line.
 *
 * @param config the {@code --config FILE.properties}, if given (all keys may also come from {@code -D} / environment)
 * @param checkConfig validate and exit
 * @param help print usage and exit
 * @param once render the templates once and exit
 * @param dry print what the templates would write, write nothing, and exit
 */
public record CommandLine(Optional<Path> config, boolean checkConfig, boolean help, boolean once, boolean dry) {

  static final String USAGE = """
      usage: java [-Dkey=value ...] -jar shadowcar.jar [--config FILE.properties] [--check-config] [--once] [--dry] [--help]

        --config FILE    properties file (keys: docs/configuration.md); -Dkey=value and SHADOWCAR_KEY env override it
        --check-config   validate the configuration and exit: 0 valid, 1 invalid (one line per problem on stderr)
        --once           render the configured templates once and exit
        --dry            print what the templates would write, write nothing, and exit
        --help           print this help and exit

      java -jar shadowcar.jar replay --help           replays the Kafka sink's recorded requests to a target
      java -jar shadowcar.jar diff-worker --help      one diff worker of a fleet (docs/fleet.md)
      java -jar shadowcar.jar diff-dashboard --help   the fleet's dashboard over the workers' results
      """;

  /** Thrown for arguments that cannot be understood; the message says which. */
  static final class UsageException extends Exception {
    UsageException(String message) {
      super(message);
    }
  }

  /** The sidecar serves until stopped: no help, check or one-shot template run was asked for. */
  boolean serves() {
    return !(help || checkConfig || once || dry);
  }

  static CommandLine parse(String... args) throws UsageException {
    Path config = null;
    boolean check = false;
    boolean help = false;
    boolean once = false;
    boolean dry = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--config" -> {
          if (i + 1 >= args.length) {
            throw new UsageException("--config needs a file");
          }
          config = Path.of(args[++i]);
        }
        case "--check-config" -> check = true;
        case "--help", "-h" -> help = true;
        case "--once" -> once = true;
        case "--dry" -> dry = true;
        default -> {
          if (arg.startsWith("--config=")) {
            config = Path.of(arg.substring("--config=".length()));
          } else {
            throw new UsageException("unknown argument: " + arg);
          }
        }
      }
    }
    return new CommandLine(Optional.ofNullable(config), check, help, once, dry);
  }
}
