package io.shadowcar.proxy;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Generates {@code X-Request-Id} values: 32 hex digits from {@link ThreadLocalRandom}. Unique enough to pair a
 * request with its copy and find it in logs; not for anything secret (use SecureRandom for that, which is too slow
 * for the hot path).
 */
final class RequestIds {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private RequestIds() {}

  static String next() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    char[] out = new char[32];
    fill(out, 0, random.nextLong());
    fill(out, 16, random.nextLong());
    return new String(out);
  }

  private static void fill(char[] out, int at, long bits) {
    for (int i = 15; i >= 0; i--) {
      out[at + i] = HEX[(int) (bits & 0xf)];
      bits >>>= 4;
    }
  }
}
