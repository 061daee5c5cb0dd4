package io.shadowcar.common.headers;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Replaces the values of sensitive headers ({@code Authorization}, {@code Cookie}, {@code X-Api-Key}, ...) before an
 * exchange is stored or published (Kafka records, the diff store, the diff results topic), keeping equal values equal:
 * each value becomes {@code hmac:} and the first 128 bits of its HMAC-SHA256 under a per-deployment key, in hex. Two
 * requests with the same credential show the same mask, a diff still sees whether primary and shadow set the same
 * cookie, and nobody who reads the store can recover or replay the value (nor test guesses without the key).
 *
 * <p>Immutable and thread-safe (a {@link Mac} per call: cheap next to the record it goes into). Not for the hot path
 * of the primary: call it where the record is encoded, off the event loop. Not encryption: the value is gone.
 */
public final class HeaderMask {

  /** What every masked value starts with. */
  public static final String PREFIX = "hmac:";

  private static final String ALGORITHM = "HmacSHA256";
  private static final int MASK_BYTES = 16;
  private static final HeaderMask NONE = new HeaderMask(Set.of(), null);

  private final Set<String> names;
  /** The names again, for a lookup that lowers no case and allocates nothing (it runs for every header stored). */
  private final HeaderNames masked;
  private final SecretKeySpec key;

  private HeaderMask(Set<String> names, SecretKeySpec key) {
    this.names = names;
    this.masked = HeaderNames.of(names);
    this.key = key;
  }

  /** Masks nothing (tests, and tools that publish nothing). */
  public static HeaderMask none() {
    return NONE;
  }

  /**
   * Masks the headers named in {@code names} (any case) with {@code key}.
   *
   * @param key at least 16 bytes of secret; the same key gives the same masks, so keep it per deployment
   * @throws IllegalArgumentException for a short key or a blank name
   */
  public static HeaderMask of(Collection<String> names, byte[] key) {
    Objects.requireNonNull(key, "key");
    if (key.length < 16) {
      throw new IllegalArgumentException("mask key: " + key.length + " bytes (expected: at least 16)");
    }
    TreeSet<String> lower = new TreeSet<>();
    for (String name : names) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("masked headers: a blank name (expected: header names)");
      }
      lower.add(name.trim().toLowerCase(Locale.ROOT));
    }
    return lower.isEmpty() ? NONE : new HeaderMask(Set.copyOf(lower), new SecretKeySpec(key.clone(), ALGORITHM));
  }

  /** True when values of {@code name} are masked (any case; header names are ASCII tokens). */
  public boolean masks(String name) {
    return masked.contains(name);
  }

  /** The masked names, lower case. */
  public Set<String> names() {
    return names;
  }

  /** {@code headers} with the values of masked names replaced, in order; the same list when nothing is masked. */
  public List<Map.Entry<String, String>> apply(List<Map.Entry<String, String>> headers) {
    int first = firstMasked(headers);
    if (first < 0) {
      return headers;
    }
    List<Map.Entry<String, String>> out = new ArrayList<>(headers.subList(0, first));
    for (int i = first; i < headers.size(); i++) {
      Map.Entry<String, String> header = headers.get(i);
      out.add(masks(header.getKey()) ? Map.entry(header.getKey(), mask(header.getValue())) : header);
    }
    return out;
  }

  /** The index of the first header whose value is masked, or -1. */
  private int firstMasked(List<Map.Entry<String, String>> headers) {
    if (masked.isEmpty()) {
      return -1;
    }
    for (int i = 0; i < headers.size(); i++) {
      if (masks(headers.get(i).getKey())) {
        return i;
      }
    }
    return -1;
  }

  /** {@code hmac:} and 32 hex digits; a value already masked stays as it is (a record masked upstream). */
  public String mask(String value) {
    if (key == null || isMasked(value)) {
      return value;
    }
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      byte[] digest = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
      return PREFIX + HexFormat.of().formatHex(digest, 0, MASK_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }

  /** Exactly {@code hmac:} and 32 lower-case hex digits. */
  private static boolean isMasked(String value) {
    if (value.length() != PREFIX.length() + 2 * MASK_BYTES || !value.startsWith(PREFIX)) {
      return false;
    }
    for (int i = PREFIX.length(); i < value.length(); i++) {
      char c = value.charAt(i);
      if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return names.isEmpty() ? "no header masked" : "masked headers " + names;
  }
}
