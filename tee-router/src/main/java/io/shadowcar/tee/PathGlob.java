package io.shadowcar.tee;

import java.util.Arrays;

/**
 * A compiled path glob: {@code ?} one character, {@code *} any run within one segment, {@code **} any run across
 * segments; a trailing {@code /**} also matches the bare prefix.
 *
 * <p>Matching runs the glob as an automaton over all its positions at once (one bit per position, shifted per path
 * character), so it takes time linear in the path whatever the glob: no backtracking, so no glob of repeated
 * {@code **} segments that takes seconds on a long path. Globs of up to 63 tokens (a token is a character, {@code ?},
 * {@code *} or {@code **}) match without allocating; longer ones allocate one small array per match.
 */
final class PathGlob {

  private static final int ONE = -1;
  private static final int STAR = -2;
  private static final int ANY = -3;

  private final String pattern;
  /** Tokens: a character, {@link #ONE}, {@link #STAR} or {@link #ANY}. State {@code i} = the first i matched. */
  private final int[] tokens;
  private final int words;
  /** Per ASCII character, then word: states whose token consumes that character and moves on. */
  private final long[] stepAscii;
  /** States whose {@code ?} consumes any character but {@code /}. */
  private final long[] stepOne;
  /** States whose star stays put on a character: on {@code /} only {@code **}, on others both stars. */
  private final long[] loopSlash;
  private final long[] loopOther;
  /** States holding a star, which may also match nothing: state i implies state i + 1. */
  private final long[] star;
  private final long[] accept;
  private final long[] start;

  PathGlob(String pattern) {
    this.pattern = pattern;
    this.tokens = tokens(pattern);
    int states = tokens.length + 1;
    this.words = (states + 63) >>> 6;
    this.stepAscii = new long[128 * words];
    this.stepOne = new long[words];
    this.loopSlash = new long[words];
    this.loopOther = new long[words];
    this.star = new long[words];
    for (int i = 0; i < tokens.length; i++) {
      int t = tokens[i];
      if (t == ANY) {
        set(loopSlash, i);
        set(loopOther, i);
        set(star, i);
      } else if (t == STAR) {
        set(loopOther, i);
        set(star, i);
      } else if (t == ONE) {
        set(stepOne, i);
        for (int c = 0; c < 128; c++) {
          if (c != '/') {
            set(stepAscii, c * words, i);
          }
        }
      } else if (t < 128) {
        set(stepAscii, t * words, i);
      }
    }
    this.accept = new long[words];
    set(accept, tokens.length);
    if (pattern.endsWith("/**") && pattern.length() > 3) {
      // '/' ends any star run, so the prefix's tokens are the glob's minus the last two: the prefix has matched
      // the whole path when state length - 2 is reached
      set(accept, tokens.length - 2);
    }
    this.start = new long[words];
    set(start, 0);
    close(start);
  }

  boolean matches(String path) {
    return matches(path, path.length());
  }

  /** Matches {@code s} up to {@code end} (e.g. a request target up to its {@code ?}) without a substring. */
  boolean matches(String s, int end) {
    return words == 1 ? matchesOneWord(s, end) : matchesManyWords(s, end);
  }

  private boolean matchesOneWord(String s, int end) {
    long loopS = loopSlash[0];
    long loopO = loopOther[0];
    long stars = star[0];
    long state = start[0];
    for (int i = 0; i < end && state != 0; i++) {
      char c = s.charAt(i);
      long step = c < 128 ? stepAscii[c] : stepWide(c, 0);
      long next = ((state & step) << 1) | (state & (c == '/' ? loopS : loopO));
      state = next | ((next & stars) << 1);
    }
    return (state & accept[0]) != 0;
  }

  private boolean matchesManyWords(String s, int end) {
    long[] state = start.clone();
    boolean alive = true;
    for (int i = 0; i < end && alive; i++) {
      char c = s.charAt(i);
      long[] loop = c == '/' ? loopSlash : loopOther;
      // from the top word down, so word w - 1 still holds the previous state when word w takes its carry
      for (int w = words - 1; w >= 0; w--) {
        long carry = w > 0 ? advance(state[w - 1], c, w - 1) >>> 63 : 0;
        state[w] = advance(state[w], c, w) << 1 | carry | (state[w] & loop[w]);
      }
      close(state);
      alive = false;
      for (long bits : state) {
        alive |= bits != 0;
      }
    }
    for (int w = 0; w < words; w++) {
      if ((state[w] & accept[w]) != 0) {
        return true;
      }
    }
    return false;
  }

  private long advance(long state, char c, int w) {
    return state & (c < 128 ? stepAscii[c * words + w] : stepWide(c, w));
  }

  /** The step mask of word {@code w} for a character outside ASCII: {@code ?} and literals equal to it. */
  private long stepWide(char c, int w) {
    long mask = stepOne[w];
    for (int i = w << 6, stop = Math.min(tokens.length, (w + 1) << 6); i < stop; i++) {
      if (tokens[i] == c) {
        mask |= 1L << (i & 63);
      }
    }
    return mask;
  }

  /** Adds the states a star reaches by matching nothing; one step suffices, as stars never follow each other. */
  private void close(long[] state) {
    for (int w = words - 1; w >= 0; w--) {
      state[w] |= (state[w] & star[w]) << 1 | (w > 0 ? (state[w - 1] & star[w - 1]) >>> 63 : 0);
    }
  }

  private static int[] tokens(String pattern) {
    int[] out = new int[pattern.length()];
    int n = 0;
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      int token = c;
      if (c == '?') {
        token = ONE;
      } else if (c == '*' && i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
        token = ANY;
        i++;
      } else if (c == '*') {
        token = STAR;
      }
      boolean absorbed = (token == ANY || token == STAR) && n > 0 && out[n - 1] == ANY; // "**" then "*" is "**"
      if (!absorbed) {
        out[n++] = token;
      }
    }
    return Arrays.copyOf(out, n);
  }

  private static void set(long[] bits, int index) {
    set(bits, 0, index);
  }

  private static void set(long[] bits, int offset, int index) {
    bits[offset + (index >>> 6)] |= 1L << (index & 63);
  }

  @Override
  public String toString() {
    return pattern;
  }
}
