package io.shadowcar.proxy;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Chooses each request's {@code X-Request-Id}: the caller's when it is short and safe, else a generated one of 32 hex
 * digits from {@link ThreadLocalRandom}. Unique enough to pair a request with its copy and find it in logs; not for
 * anything secret (use SecureRandom for that, which is too slow for the hot path).
 *
 * <p>Safe means at most {@value #MAX_LENGTH} characters of {@code A-Z a-z 0-9 . _ : -}: the id goes into logs, Kafka
 * keys, the diff store and response headers, so it must not carry markup, control characters or a megabyte.
 */
final class RequestIds {

  static final int MAX_LENGTH = 128;
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);

  private RequestIds() {}

  /** {@code callerId} when it {@linkplain #isSafe is safe}, else a fresh id. */
  static String choose(String callerId) {
    return isSafe(callerId) ? callerId : next();
  }

  /** 1 to {@value #MAX_LENGTH} characters, each a letter, digit, '.', '_', ':' or '-'. */
  static boolean isSafe(String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == ':' || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  static String next() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    byte[] out = new byte[32];
    fill(out, 0, random.nextLong());
    fill(out, 16, random.nextLong());
    return new String(out, StandardCharsets.ISO_8859_1); // one copy into a Latin-1 string, nothing to compress
  }

  private static void fill(byte[] out, int at, long bits) {
    for (int i = 15; i >= 0; i--) {
      out[at + i] = HEX[(int) (bits & 0xf)];
      bits >>>= 4;
    }
  }
}
