package io.shadowcar.launcher.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the sub-commands ({@code replay}, {@code diff-worker}, {@code diff-dashboard}) read a value: durations, URLs,
 * numbers and names, each mistake one {@link BadArgumentException} that names the argument, and {@code --help}.
 */
public final class ArgumentValues {

  /** The most requests {@code replay} and {@code diff-worker} keep in flight; a larger --max-inflight is capped. */
  public static final int MAX_INFLIGHT = 10_000;

  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)?");

  /** A command line that cannot be run; the message is one line naming the argument. */
  public static final class BadArgumentException extends Exception {
    public BadArgumentException(String message) {
      super(message, null, false, false);
    }
  }

  private ArgumentValues() {}

  /**
   * Whether the arguments ask for help (then nothing else is checked): every sub-command reads help this way, and so
   * does the launcher to tell a one-shot run from one that serves.
   */
  public static boolean wantsHelp(String... args) {
    return Arrays.stream(args).anyMatch(a -> a.equals("--help") || a.equals("-h"));
  }

  /** {@code 30s}, {@code 500ms}, {@code 5m}, {@code 1h}; a bare number is seconds. */
  public static Duration duration(String name, String value) throws BadArgumentException {
    Matcher m = DURATION.matcher(value.trim());
    if (!m.matches()) {
      throw new BadArgumentException(name + ": '" + value + "' (expected: a duration like 30s, 500ms, 5m, 1h)");
    }
    double amount = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    double millis = switch (unit) {
      case "ms" -> amount;
      case "m" -> amount * 60_000;
      case "h" -> amount * 3_600_000;
      default -> amount * 1000;
    };
    return Duration.ofMillis(Math.round(millis));
  }

  /** An {@code http} or {@code https} base URL, without a query. */
  public static URI target(String name, String value) throws BadArgumentException {
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && uri.getRawQuery() == null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new BadArgumentException(name + ": '" + value + "' (expected: http://host[:port][/base] or https://...)");
  }

  /** A whole number above zero. */
  public static long positiveLong(String name, String value) throws BadArgumentException {
    return positive(name, value, Long::parseLong, "an integer > 0").longValue();
  }

  /** A whole number above zero, taken as {@code cap} when larger: a count whose ceiling caps it, not refuses it. */
  public static ArgumentList.ValueParser<Integer> positiveUpTo(int cap) {
    return (name, value) -> (int) Math.min(cap, positiveLong(name, value));
  }

  /** A finite number above zero. */
  public static double positiveDouble(String name, String value) throws BadArgumentException {
    return positive(name, value, Double::parseDouble, "a number > 0").doubleValue();
  }

  private static <N extends Number> N positive(String name, String value, Function<String, N> parse, String expected)
      throws BadArgumentException {
    try {
      N n = parse.apply(value);
      if (n.doubleValue() > 0 && Double.isFinite(n.doubleValue())) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new BadArgumentException(name + ": '" + value + "' (expected: " + expected + ")");
  }

  /** A value that is not blank, trimmed. */
  public static String nonEmpty(String name, String value) throws BadArgumentException {
    if (value.isBlank()) {
      throw new BadArgumentException(name + ": '' (expected: a value)");
    }
    return value.trim();
  }
}
