package io.shadowcar.common.headers;

import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Reading comma-separated header values ({@code Connection}, {@code TE}, {@code Keep-Alive}, {@code Upgrade}) in
 * place, with one rule for every reader: elements are separated by commas, empty ones are skipped, and optional
 * whitespace (space, tab) around each is not part of it. A pooled connection's every answer is read for {@code close}
 * and {@code keep-alive}, so {@link #contains} splits and copies nothing.
 */
public final class HeaderTokens {

  private HeaderTokens() {
  }

  /** True when {@code value} lists {@code token} (case-insensitive), ignoring parameters after a {@code ;}. */
  public static boolean contains(String value, String token) {
    for (int start = 0, end; start <= value.length(); start = end + 1) {
      end = elementEnd(value, start);
      int tokenEnd = indexOf(value, ';', start, end);
      int from = skipSpace(value, start, tokenEnd);
      int to = trimSpace(value, from, tokenEnd);
      if (isToken(value, from, to, token)) {
        return true;
      }
    }
    return false;
  }

  /** True when every element of {@code value}, trimmed and not empty, is one of {@code tokens} (case-insensitive). */
  public static boolean allAmong(String value, String[] tokens) {
    for (int start = 0, end; start <= value.length(); start = end + 1) {
      end = elementEnd(value, start);
      int from = skipSpace(value, start, end);
      int to = trimSpace(value, from, end);
      if (to > from && !isOneOf(value, from, to, tokens)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isOneOf(String value, int from, int to, String[] tokens) {
    for (String token : tokens) {
      if (isToken(value, from, to, token)) {
        return true;
      }
    }
    return false;
  }

  /** True when {@code value}'s characters in {@code [from, to)} are {@code token}, ignoring case. */
  private static boolean isToken(String value, int from, int to, String token) {
    return to - from == token.length() && value.regionMatches(true, from, token, 0, token.length());
  }

  /** True when some element of {@code value}, trimmed and not empty, passes {@code test}; stops at the first. */
  public static boolean anyElement(String value, Predicate<String> test) {
    for (int start = 0, end; start <= value.length(); start = end + 1) {
      end = elementEnd(value, start);
      int from = skipSpace(value, start, end);
      int to = trimSpace(value, from, end);
      if (to > from && test.test(value.substring(from, to))) {
        return true;
      }
    }
    return false;
  }

  /** Gives {@code each} every element of {@code value}, trimmed, in order, but the empty ones. */
  public static void forEachElement(String value, Consumer<String> each) {
    anyElement(value, element -> {
      each.accept(element);
      return false;
    });
  }

  /** The {@code timeout} parameter of a {@code Keep-Alive} header, in seconds, or -1 when absent or malformed. */
  public static long keepAliveTimeoutSeconds(String value) {
    for (int start = 0, end; start <= value.length(); start = end + 1) {
      end = elementEnd(value, start);
      int eq = indexOf(value, '=', start, end);
      if (eq > start && eq < end) {
        int nameFrom = skipSpace(value, start, eq);
        int nameTo = trimSpace(value, nameFrom, eq);
        if (nameTo - nameFrom == 7 && value.regionMatches(true, nameFrom, "timeout", 0, 7)) {
          int from = skipSpace(value, eq + 1, end);
          int to = trimSpace(value, from, end);
          try {
            long seconds = Long.parseLong(value, from, to, 10);
            return seconds < 0 ? -1 : seconds;
          } catch (NumberFormatException e) {
            return -1;
          }
        }
      }
    }
    return -1;
  }

  /** The end of the list element that begins at {@code start}: the next comma, or the end of the value. */
  private static int elementEnd(String value, int start) {
    int comma = value.indexOf(',', start);
    return comma < 0 ? value.length() : comma;
  }

  /**
   * The index of {@code c} in {@code [from, to)}, or {@code to}: bounded by the element, so a long value with many
   * elements is read once, not once per element.
   */
  private static int indexOf(String s, char c, int from, int to) {
    for (int i = from; i < to; i++) {
      if (s.charAt(i) == c) {
        return i;
      }
    }
    return to;
  }

  /** The first index in {@code [from, to)} that is not optional whitespace, or {@code to}. */
  private static int skipSpace(String s, int from, int to) {
    while (from < to && isSpace(s.charAt(from))) {
      from++;
    }
    return from;
  }

  /** The end of {@code [from, to)} without trailing optional whitespace. */
  private static int trimSpace(String s, int from, int to) {
    while (to > from && isSpace(s.charAt(to - 1))) {
      to--;
    }
    return to;
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t';
  }
}
