package io.shadowcar.common.text;

/**
 * Text from a peer (an error message quoting a header value, a replayed record) made safe to write on one log line:
 * line breaks, tabs and the other control characters become escapes ({@code \n}, {@code \r}, {@code \t},
 * {@code \u001b}), so the text can neither start a forged line nor drive a terminal. Everything else, non-ASCII
 * letters included, stays as it is, and a backslash is not doubled: the output is for people reading a log, not for a
 * parser to undo.
 */
public final class OneLine {

  private OneLine() {}

  /**
   * {@code text} with its control characters escaped; the same instance when it has none (the common case), and
   * {@code null} for {@code null} (a message that is absent stays absent: logback, for one, writes it as "null").
   */
  public static String of(String text) {
    if (text == null) {
      return null;
    }
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 0x20 && c != 0x7f) {
        if (out != null) {
          out.append(c);
        }
        continue;
      }
      if (out == null) {
        out = new StringBuilder(text.length() + 8).append(text, 0, i);
      }
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> out.append(String.format("\\u%04x", (int) c));
      }
    }
    return out == null ? text : out.toString();
  }
}
