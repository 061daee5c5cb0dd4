package io.shadowcar.launcher.config;

import io.shadowcar.common.config.ConfigView;
import io.shadowcar.common.config.InvalidValueException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which header values are masked in everything stored or published ({@code shadowcar.mask.*}), and where the HMAC
 * key comes from. Immutable; read at start.
 *
 * @param headers the masked header names
 * @param key the key given inline (at least 16 characters), or empty
 * @param keyFile the key file, or empty for {@code mask.key} under {@code shadowcar.data.dir} (created on first start)
 */
public record MaskConfig(List<String> headers, Optional<String> key, Optional<Path> keyFile) {

  /** Binds {@code shadowcar.mask.*}; a problem lands in {@code in} (the result is then null). */
  public static MaskConfig bind(ConfigView in) {
    var headers = in.get(LauncherSettings.MASK_HEADERS);
    String key = in.get(LauncherSettings.MASK_KEY);
    var keyFile = in.get(LauncherSettings.MASK_KEY_FILE);
    return in.build(() -> new MaskConfig(headers, Optional.of(key), keyFile),
        Map.of("key", LauncherSettings.MASK_KEY.key(), "headers", LauncherSettings.MASK_HEADERS.key()),
        LauncherSettings.MASK_KEY.key());
  }

  /** Characters an inline key must have at least. */
  public static final int MIN_KEY_CHARS = 16;

  public MaskConfig {
    headers = List.copyOf(headers);
    key = Objects.requireNonNull(key, "key").filter(k -> !k.isEmpty());
    Objects.requireNonNull(keyFile, "keyFile");
    InvalidValueException.check(key.isEmpty() || keyFile.isEmpty(), "key", "(both set)",
        "shadowcar.mask.key or shadowcar.mask.keyFile, not both");
    InvalidValueException.check(key.isEmpty() || key.get().length() >= MIN_KEY_CHARS, "key",
        "(" + key.map(String::length).orElse(0) + " characters)", "at least " + MIN_KEY_CHARS + " characters");
    for (String name : headers) {
      InvalidValueException.check(name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+"), "headers", name, "header names");
    }
  }
}
