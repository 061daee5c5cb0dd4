package io.shadowcar.tee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathGlobTest {

  @ParameterizedTest(name = "{0} ~ {1} = {2}")
  @CsvSource({
      "/api/**, /api, true",
      "/api/**, /api/, true",
      "/api/**, /api/users/7/orders, true",
      "/api/**, /apix, false",
      "/api/*, /api/users, true",
      "/api/*, /api/users/7, false",
      "/api/*/orders, /api/7/orders, true",
      "/api/*/orders, /api/7/8/orders, false",
      "/api/**/orders, /api/7/8/orders, true",
      "/api/**/orders, /api/orders, false",
      "/v?/items, /v2/items, true",
      "/v?/items, /v/items, false",
      "/v?/items, /v22/items, false",
      "/*.json, /a.json, true",
      "/*.json, /a/b.json, false",
      "/**, /, true",
      "/exact, /exact, true",
      "/exact, /exact/more, false",
      "/a%2Fb, /a%2Fb, true",
      "/a***, /ab/c, true",
      "/a/***/b, /a/x/y/b, true",
      "/a*/**, /ab, true",
      "/a*/**, /ab/c, true",
      "/a*/**, /a/b, true",
      "/a?/**, /a, false",
      "/ä/*, /ä/ö, true",
      "/ä/?, /ä/ö, true",
      "/ä/?, /ä/é, true",
      "/ä/ö, /ä/é, false",
  })
  void matchesGlobs(String pattern, String path, boolean expected) {
    assertEquals(expected, new PathGlob(pattern).matches(path));
  }

  @ParameterizedTest
  @CsvSource({"/api/*, /api/users?x=/y, 10, true", "/api/*, /api/users/x?y, 12, false"})
  void matchesOnlyUpToTheGivenEnd(String pattern, String uri, int end, boolean expected) {
    assertEquals(expected, new PathGlob(pattern).matches(uri, end));
  }

  /** Backtracking took 13 s for this glob on 2 KiB; each answer here must come from one pass over the path. */
  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {2 * 1024, 64 * 1024})
  void matchesRepeatedGlobstarsOnLongPathsInOnePass(int length) {
    PathGlob glob = new PathGlob("/**/a/**/b/**/c/**/d");
    String almost = "/a/b/c".repeat(length / 6);
    long startedAt = System.nanoTime();
    assertFalse(glob.matches(almost));
    assertTrue(glob.matches(almost + "/d"));
    assertFalse(glob.matches(almost + "/dx"));
    assertTrue(glob.matches("/d/c/b/a" + almost + "/d"));
    System.out.printf("/**/a/**/b/**/c/**/d on %d bytes: 4 matches in %d µs%n",
        almost.length(), (System.nanoTime() - startedAt) / 1000);
  }

  @Test
  void matchesGlobsLongerThanOneWordOfStates() {
    String segments = "/seg*/x?".repeat(20) + "/**";
    PathGlob glob = new PathGlob(segments);
    String path = "/segment/x1".repeat(20);
    assertTrue(glob.matches(path));
    assertTrue(glob.matches(path + "/more/and/more"));
    assertFalse(glob.matches(path.replace("/x1", "/x")));
    assertFalse(glob.matches(path.substring(0, path.length() - 1)));
  }

  /** The automaton against a regular-expression translation of the same semantics, on random globs and paths. */
  @Test
  void agreesWithARegexTranslationOnRandomGlobs() {
    SplittableRandom random = new SplittableRandom(20240611);
    int matched = 0;
    int cases = 0;
    for (int i = 0; i < 4000; i++, cases++) {
      String glob = randomGlob(random, 1 + random.nextInt(12), 0.3);
      String path = pathFor(glob, random);
      boolean expected = reference(glob, path);
      assertEquals(expected, new PathGlob(glob).matches(path), () -> glob + " ~ " + path);
      matched += expected ? 1 : 0;
    }
    for (int i = 0; i < 300; i++, cases++) { // more than 63 tokens: several words of states
      String glob = randomGlob(random, 64 + random.nextInt(100), 0.05);
      String path = pathFor(glob, random);
      boolean expected = reference(glob, path);
      assertEquals(expected, new PathGlob(glob).matches(path), () -> glob + " ~ " + path);
      matched += expected ? 1 : 0;
    }
    assertTrue(matched > cases / 5 && matched < cases * 4 / 5, "both answers well represented: " + matched);
  }

  private static final String[] LITERALS = {"/", "/", "a", "b", ".", "é"};
  private static final String[] PATH_CHARS = {"/", "a", "b", ".", "é"};

  private static String randomGlob(SplittableRandom random, int tokens, double wildcardShare) {
    StringBuilder glob = new StringBuilder("/");
    for (int i = 1; i < tokens; i++) {
      if (random.nextDouble() < wildcardShare) {
        glob.append(switch (random.nextInt(3)) {
          case 0 -> "?";
          case 1 -> "*";
          default -> "**";
        });
      } else {
        glob.append(LITERALS[random.nextInt(LITERALS.length)]);
      }
    }
    return glob.toString();
  }

  /** A path the glob would match if each wildcard took a random fill, then mutated half the time. */
  private static String pathFor(String glob, SplittableRandom random) {
    StringBuilder path = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      boolean any = c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*';
      if (any) {
        i++;
      }
      if (c == '*' || c == '?') {
        int fill = c == '?' ? 1 : random.nextInt(4);
        for (int k = 0; k < fill; k++) {
          String next = PATH_CHARS[random.nextInt(PATH_CHARS.length)];
          path.append(any || !next.equals("/") ? next : "a");
        }
      } else {
        path.append(c);
      }
    }
    if (random.nextBoolean() && path.length() > 0) {
      int at = random.nextInt(path.length());
      switch (random.nextInt(3)) {
        case 0 -> path.deleteCharAt(at);
        case 1 -> path.insert(at, PATH_CHARS[random.nextInt(PATH_CHARS.length)]);
        default -> path.setCharAt(at, PATH_CHARS[random.nextInt(PATH_CHARS.length)].charAt(0));
      }
    }
    return path.toString();
  }

  private static boolean reference(String glob, String path) {
    String regex = regex(glob);
    if (glob.endsWith("/**") && glob.length() > 3) {
      regex = "(?:" + regex + ")|(?:" + regex(glob.substring(0, glob.length() - 3)) + ")";
    }
    return Pattern.compile(regex, Pattern.DOTALL).matcher(path).matches();
  }

  private static String regex(String glob) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        regex.append(".*");
        i++;
      } else if (c == '*') {
        regex.append("[^/]*");
      } else if (c == '?') {
        regex.append("[^/]");
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return regex.toString();
  }
}
