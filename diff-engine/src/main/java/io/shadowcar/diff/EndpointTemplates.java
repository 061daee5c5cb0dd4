package io.shadowcar.diff;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Groups requests into endpoints: {@code METHOD /template}. Configured templates are tried first, in order; then
 * each path segment that looks like an id becomes {@code {id}}: all digits, a UUID, 16+ hex characters (or 8+ with
 * a digit), or a 20+ character token of letters, digits, {@code -}, {@code _} (and {@code =} padding) holding both
 * letters and digits. The query string and fragment are dropped; a trailing slash is kept.
 *
 * <p>Not a router: a segment that is a word ({@code /users/me}) stays as it is, so configure a template when ids
 * can be words.
 */
public final class EndpointTemplates {

  private final List<PathTemplate> templates;

  private EndpointTemplates(List<PathTemplate> templates) {
    this.templates = templates;
  }

  /** @throws IllegalArgumentException for a template that does not start with {@code /} or misuses braces / ** */
  public static EndpointTemplates of(List<String> templates) {
    List<PathTemplate> parsed = new ArrayList<>(templates.size());
    for (String t : templates) {
      parsed.add(PathTemplate.parse(t));
    }
    return new EndpointTemplates(List.copyOf(parsed));
  }

  /** {@code GET /users/123?x=1} → {@code GET /users/{id}}. */
  public String endpointKey(String method, String uri) {
    return method.toUpperCase(Locale.ROOT) + ' ' + template(uri);
  }

  /** The template of a request target's path (origin or absolute form). */
  public String template(String uri) {
    List<String> segments = PathSegments.split(pathOf(uri));
    for (PathTemplate t : templates) {
      if (t.matches(segments)) {
        return t.text();
      }
    }
    StringBuilder sb = new StringBuilder(uri.length());
    for (String s : segments) {
      sb.append('/').append(looksLikeId(s) ? "{id}" : s);
    }
    return sb.length() == 0 ? "/" : sb.toString();
  }

  static String pathOf(String uri) {
    int start = 0;
    int scheme = uri.indexOf("://");
    if (scheme > 0 && scheme < firstOf(uri, '/', '?')) {
      int slash = uri.indexOf('/', scheme + 3);
      start = slash < 0 ? uri.length() : slash;
    }
    int end = Math.min(indexOrLength(uri, '?', start), indexOrLength(uri, '#', start));
    String path = uri.substring(start, end);
    return path.isEmpty() ? "/" : path;
  }

  private static int firstOf(String s, char a, char b) {
    return Math.min(indexOrLength(s, a, 0), indexOrLength(s, b, 0));
  }

  private static int indexOrLength(String s, char c, int from) {
    int i = s.indexOf(c, from);
    return i < 0 ? s.length() : i;
  }

  static boolean looksLikeId(String s) {
    int n = s.length();
    if (n == 0) {
      return false;
    }
    int digits = 0;
    int hexLetters = 0;
    int letters = 0;
    int other = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        digits++;
      } else if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
        hexLetters++;
        letters++;
      } else if ((c >= 'g' && c <= 'z') || (c >= 'G' && c <= 'Z')) {
        letters++;
      } else if (c == '-' || c == '_' || (c == '=' && i >= n - 2)) {
        other++;
      } else {
        return false;
      }
    }
    if (digits == n) {
      return true;
    }
    if (digits + hexLetters == n && (n >= 16 || (n >= 8 && digits > 0))) {
      return true;
    }
    if (n == 36 && isUuid(s)) {
      return true;
    }
    return n >= 20 && digits > 0 && letters > 0;
  }

  private static boolean isUuid(String s) {
    for (int i = 0; i < 36; i++) {
      char c = s.charAt(i);
      boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
      if (dash ? c != '-' : Character.digit(c, 16) < 0) {
        return false;
      }
    }
    return true;
  }
}
