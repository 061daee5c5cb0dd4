package io.shadowcar.dashboard;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * A body as an example keeps it: UTF-8 text when it decodes, else base64; at most a configured number of bytes.
 *
 * @param encoding {@code utf8} or {@code base64}
 * @param size the bytes received (before the cut)
 * @param truncated true when {@code text} holds only a prefix: cut here, or already a truncated capture
 */
public record StoredBody(String text, String encoding, int size, boolean truncated) {

  public static final String UTF8 = "utf8";
  public static final String BASE64 = "base64";

  public static StoredBody of(byte[] body, boolean alreadyTruncated, int maxBytes) {
    int kept = Math.min(body.length, maxBytes);
    byte[] prefix = kept == body.length ? body : Arrays.copyOf(body, kept);
    boolean cut = alreadyTruncated || kept < body.length;
    String text = utf8(prefix, cut);
    return text != null
        ? new StoredBody(text, UTF8, body.length, cut)
        : new StoredBody(Base64.getEncoder().encodeToString(prefix), BASE64, body.length, cut);
  }

  /** The text, or null when the bytes are not UTF-8 (a cut prefix may end inside a character: that is dropped). */
  private static String utf8(byte[] bytes, boolean cut) {
    if (isAscii(bytes)) {
      // most bodies (JSON, form data) are ASCII: no decoder, no char buffer, one compact copy
      return new String(bytes, StandardCharsets.US_ASCII);
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      if (cut && bytes.length > 0) {
        for (int drop = 1; drop <= 3 && drop < bytes.length; drop++) {
          String shorter = utf8(Arrays.copyOf(bytes, bytes.length - drop), false);
          if (shorter != null) {
            return shorter;
          }
        }
      }
      return null;
    }
  }

  private static boolean isAscii(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0) {
        return false;
      }
    }
    return true;
  }
}
