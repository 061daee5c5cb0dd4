package io.shadowcar.tee;

/**
 * The path a route is matched against, so that a target spelled to reach one resource looks like that resource:
 * {@code POST /search/../orders/create} is matched as {@code /orders/create}, not under {@code /search/**}.
 *
 * <p>In order: the query is dropped; percent-encoded unreserved characters (RFC 3986 §2.3) and {@code %2F} are
 * decoded, once ({@code %252e} is not a dot), other percent-encodings keep their bytes with upper-case hex;
 * repeated slashes collapse to one, as nginx's {@code merge_slashes} does; dot segments are removed (RFC 3986 §5.2.4,
 * {@code ..} never climbs above the root), where a segment that is {@code .} or {@code ..} before a {@code ;} also
 * counts, because Tomcat and Jetty read {@code /..;x/} as {@code /../}. A decoded {@code %2F} separates segments:
 * {@code /a%2Fb} is matched as {@code /a/b}.
 *
 * <p>Only for matching: the request forwarded to the primary and the copy keep the target byte-exact. Not a
 * canonical form for anything else (backslashes, {@code ;} parameters of other segments and non-ASCII bytes are left
 * as they are).
 */
final class PathNormalizer {

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private PathNormalizer() {}

  /**
   * Whether {@code uri} up to {@code end} is already its normal form: no {@code %}, no {@code //}, no segment starting
   * with a dot. Allocates nothing, so the common request pays only this scan. A target not starting with {@code /}
   * ({@code *}) is matched as sent.
   */
  static boolean isNormal(String uri, int end) {
    if (end == 0 || uri.charAt(0) != '/') {
      return true;
    }
    for (int i = 0; i < end; i++) {
      char c = uri.charAt(i);
      if (c == '%') {
        return false;
      }
      if (c == '/' && i + 1 < end && (uri.charAt(i + 1) == '/' || uri.charAt(i + 1) == '.')) {
        return false;
      }
    }
    return true;
  }

  /** The normal form of a whole path (no query). */
  static String normalize(String path) {
    return normalize(path, path.length());
  }

  /** The normal form of {@code uri} up to {@code end} (its path, before the {@code ?}). */
  static String normalize(String uri, int end) {
    if (isNormal(uri, end)) {
      return uri.substring(0, end);
    }
    return removeDotSegments(decode(uri, end));
  }

  /** Whether {@code path} has a {@code .} or {@code ..} segment once decoded, which a normal path never has. */
  static boolean hasDotSegment(String path) {
    String decoded = decode(path, path.length());
    int start = 0;
    while (start < decoded.length()) {
      int slash = decoded.indexOf('/', start);
      int stop = slash < 0 ? decoded.length() : slash;
      if (isDotSegment(decoded, start, stop)) {
        return true;
      }
      start = stop + 1;
    }
    return false;
  }

  private static String decode(String uri, int end) {
    StringBuilder out = new StringBuilder(end);
    int i = 0;
    while (i < end) {
      char c = uri.charAt(i);
      int high = c == '%' && i + 2 < end ? hex(uri.charAt(i + 1)) : -1;
      int low = high < 0 ? -1 : hex(uri.charAt(i + 2));
      if (low < 0) {
        out.append(c);
        i++;
        continue;
      }
      char decoded = (char) (high << 4 | low);
      if (decoded == '/' || isUnreserved(decoded)) {
        out.append(decoded);
      } else {
        out.append('%').append(HEX[high]).append(HEX[low]);
      }
      i += 3;
    }
    return out.toString();
  }

  /** Collapses empty segments and removes dot segments; a path ending in a dot segment or slash keeps the slash. */
  private static String removeDotSegments(String path) {
    StringBuilder out = new StringBuilder(path.length());
    boolean trailingSlash = false;
    int start = 1; // past the leading slash
    while (start <= path.length()) {
      int slash = path.indexOf('/', start);
      int stop = slash < 0 ? path.length() : slash;
      boolean dot = isDotSegment(path, start, stop);
      if (dot && stop - start >= 2 && path.charAt(start + 1) == '.') {
        out.setLength(Math.max(0, out.lastIndexOf("/")));
      } else if (!dot && stop > start) {
        out.append('/').append(path, start, stop);
      }
      trailingSlash = dot || stop == start;
      start = stop + 1;
    }
    if (trailingSlash || out.length() == 0) {
      out.append('/');
    }
    return out.toString();
  }

  /** {@code .} or {@code ..}, alone or before a {@code ;}. */
  private static boolean isDotSegment(String path, int start, int stop) {
    int semicolon = path.indexOf(';', start);
    int nameEnd = semicolon >= 0 && semicolon < stop ? semicolon : stop;
    int length = nameEnd - start;
    return (length == 1 || length == 2) && path.charAt(start) == '.' && path.charAt(nameEnd - 1) == '.';
  }

  private static boolean isUnreserved(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '-' || c == '.' || c == '_' || c == '~';
  }

  private static int hex(char c) {
    return c < 128 ? Character.digit(c, 16) : -1;
  }
}
