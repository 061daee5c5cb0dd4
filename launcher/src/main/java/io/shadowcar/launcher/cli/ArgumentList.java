package io.shadowcar.launcher.cli;

import io.shadowcar.launcher.cli.ArgumentValues.BadArgumentException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A sub-command's arguments by name: {@code --name value} or {@code --name=value} for the named options,
 * {@code --flag} for the flags; anything else, a repeated option or a missing value is a {@link BadArgumentException}.
 * The values are checked by the command (with {@link ArgumentValues}). {@code --help} is the command's to look for
 * first ({@link ArgumentValues#wantsHelp}).
 */
public final class ArgumentList {

  /** Checks and converts one option's text; a mistake is a {@link BadArgumentException} that names the option. */
  @FunctionalInterface
  public interface ValueParser<T> {
    T parse(String name, String value) throws BadArgumentException;
  }

  private final Map<String, String> values;
  private final Set<String> flags;

  private ArgumentList(Map<String, String> values, Set<String> flags) {
    this.values = values;
    this.flags = flags;
  }

  public static ArgumentList parse(String[] args, Set<String> options, Set<String> knownFlags)
      throws BadArgumentException {
    Map<String, String> values = new HashMap<>();
    Set<String> flags = new HashSet<>();
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      String value = null;
      int eq = name.indexOf('=');
      if (name.startsWith("--") && eq > 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (knownFlags.contains(name) && value == null) {
        flags.add(name);
        continue;
      }
      if (!options.contains(name)) {
        throw new BadArgumentException("unknown argument: " + name);
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new BadArgumentException(name + " needs a value");
        }
        value = args[++i];
      }
      if (values.put(name, value) != null) {
        throw new BadArgumentException(name + " given twice (expected: once)");
      }
    }
    return new ArgumentList(values, flags);
  }

  public Optional<String> value(String name) {
    return Optional.ofNullable(values.get(name));
  }

  /** The option's value through {@code parser}, when given. */
  public <T> Optional<T> value(String name, ValueParser<T> parser) throws BadArgumentException {
    String value = values.get(name);
    return value == null ? Optional.empty() : Optional.of(parser.parse(name, value));
  }

  public String required(String name) throws BadArgumentException {
    String value = values.get(name);
    if (value == null) {
      throw new BadArgumentException(name + " is required");
    }
    return value;
  }

  public boolean flag(String name) {
    return flags.contains(name);
  }
}
