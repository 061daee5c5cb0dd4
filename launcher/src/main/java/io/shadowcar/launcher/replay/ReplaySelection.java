package io.shadowcar.launcher.replay;

import io.shadowcar.sink.kafka.RecordedExchange;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Which recorded requests are replayed: the {@code --route}, {@code --method} and {@code --path} filters, and the rule
 * that only safe methods go out unless {@code --allow-unsafe}. Pure and cheap; one instance per run.
 */
final class ReplaySelection {

  /** RFC 9110's safe methods: replaying them cannot write anything on a well-behaved target. */
  static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

  private final Predicate<String> route;
  private final Set<String> methods;
  private final Predicate<String> path;
  private final boolean allowUnsafe;

  ReplaySelection(ReplayOptions options) {
    this.route = options.routeGlob().map(g -> glob(g, false)).orElse(any -> true);
    this.methods = options.methods();
    this.path = options.pathGlob().map(g -> glob(g, true)).orElse(any -> true);
    this.allowUnsafe = options.allowUnsafe();
  }

  /** Why this exchange is not replayed, or empty when it is. */
  Optional<SkipReason> skip(RecordedExchange exchange) {
    if (!route.test(exchange.route()) || (!methods.isEmpty() && !methods.contains(exchange.method()))
        || !path.test(pathOf(exchange.uri()))) {
      return Optional.of(SkipReason.FILTERED);
    }
    if (!allowUnsafe && !SAFE_METHODS.contains(exchange.method())) {
      return Optional.of(SkipReason.UNSAFE_METHOD);
    }
    return Optional.empty();
  }

  private static String pathOf(String uri) {
    int query = uri.indexOf('?');
    return query < 0 ? uri : uri.substring(0, query);
  }

  /**
   * The routes' glob dialect: {@code ?} one character, {@code *} any run, {@code **} any run across {@code /}; in
   * paths {@code *} and {@code ?} stop at {@code /}, and a trailing {@code /**} also matches the bare prefix.
   */
  static Predicate<String> glob(String glob, boolean segments) {
    String one = segments ? "[^/]" : ".";
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        boolean trailing = segments && i + 2 == glob.length() && i > 0 && glob.charAt(i - 1) == '/';
        if (trailing) {
          regex.setLength(regex.length() - Pattern.quote("/").length());
          regex.append("(?:/.*)?");
        } else {
          regex.append(".*");
        }
        i++;
      } else if (c == '*') {
        regex.append(one).append('*');
      } else if (c == '?') {
        regex.append(one);
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL).asMatchPredicate();
  }
}
