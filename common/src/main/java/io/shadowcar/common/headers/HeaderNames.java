package io.shadowcar.common.headers;

import java.util.Collection;
import java.util.TreeSet;

/**
 * A fixed set of header names matched ignoring case, for checks that run on every header of every request: a name is
 * ruled out by its length alone when no member has that many characters, and the rest are compared ignoring case,
 * with no lower-casing, hashing or allocation. Header names are ASCII tokens. Immutable and thread-safe.
 */
public final class HeaderNames {

  private final String[] names;
  /** Whether some member has this many characters. */
  private final boolean[] lengths;

  private HeaderNames(String[] names) {
    this.names = names;
    int longest = 0;
    for (String name : names) {
      longest = Math.max(longest, name.length());
    }
    this.lengths = new boolean[longest + 1];
    for (String name : names) {
      lengths[name.length()] = true;
    }
  }

  /** The given names, each once whatever its case. */
  public static HeaderNames of(Collection<String> names) {
    TreeSet<String> distinct = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    distinct.addAll(names);
    return new HeaderNames(distinct.toArray(new String[0]));
  }

  /** True when {@code name} is a member, in any case. */
  public boolean contains(String name) {
    int length = name.length();
    if (length >= lengths.length || !lengths[length]) {
      return false;
    }
    for (String member : names) {
      if (member.length() == length && member.equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  public boolean isEmpty() {
    return names.length == 0;
  }
}
