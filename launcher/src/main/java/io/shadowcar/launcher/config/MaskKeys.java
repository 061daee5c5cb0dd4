package io.shadowcar.launcher.config;

import io.shadowcar.common.config.ConfigProblem;
import io.shadowcar.common.config.InvalidConfigException;
import io.shadowcar.common.headers.HeaderMask;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the {@link HeaderMask} of a deployment from {@link MaskConfig}: the key inline, from its file, or from
 * {@value #DEFAULT_FILE} under the data directory, which the first start creates with 256 random bits (readable by
 * the owner only). Keeping the file keeps masks comparable across restarts; sidecars and diff workers that should
 * compare each other's masks share one key file.
 *
 * <p>Blocking (file I/O): at start only.
 */
public final class MaskKeys {

  /** The generated key's file name under {@code shadowcar.data.dir}. */
  public static final String DEFAULT_FILE = "mask.key";

  private static final Logger LOG = LoggerFactory.getLogger(MaskKeys.class);

  private MaskKeys() {}

  /**
   * The mask, with the key read or created.
   *
   * @param dataDir where {@value #DEFAULT_FILE} lives when neither a key nor a key file is configured; {@code null}
   *     for a process without state (a new random key each start)
   * @throws InvalidConfigException naming the key file when it cannot be read or created, or holds too short a key
   */
  public static HeaderMask load(MaskConfig config, Path dataDir) {
    if (config.headers().isEmpty()) {
      return HeaderMask.none();
    }
    byte[] key;
    if (config.key().isPresent()) {
      key = config.key().get().getBytes(StandardCharsets.UTF_8);
    } else if (config.keyFile().isPresent()) {
      key = read(config.keyFile().get(), LauncherSettings.MASK_KEY_FILE.key());
    } else if (dataDir == null) {
      LOG.warn("no shadowcar.mask.key or shadowcar.mask.keyFile: header masks use a key of this run only");
      key = randomKey().getBytes(StandardCharsets.US_ASCII);
    } else {
      key = readOrCreate(dataDir.resolve(DEFAULT_FILE));
    }
    return HeaderMask.of(config.headers(), key);
  }

  private static byte[] read(Path file, String settingKey) {
    try {
      byte[] key = Files.readString(file, StandardCharsets.UTF_8).trim().getBytes(StandardCharsets.UTF_8);
      if (key.length >= MaskConfig.MIN_KEY_CHARS) {
        return key;
      }
    } catch (IOException | RuntimeException e) {
      // reported below, with the key to fix
    }
    throw new InvalidConfigException(List.of(new ConfigProblem(settingKey, file.toString(),
        "a readable file holding a key of at least " + MaskConfig.MIN_KEY_CHARS + " characters")));
  }

  private static byte[] readOrCreate(Path file) {
    if (!Files.exists(file)) {
      try {
        Files.createDirectories(file.getParent());
        Path temp = Files.createTempFile(file.getParent(), DEFAULT_FILE, ".tmp");
        try {
          ownerOnly(temp);
          Files.writeString(temp, randomKey() + "\n", StandardCharsets.US_ASCII);
          Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
          LOG.info("created the header mask key {}", file);
        } finally {
          Files.deleteIfExists(temp);
        }
      } catch (FileAlreadyExistsException raced) {
        // another start made it first: use that one
      } catch (IOException e) {
        throw new InvalidConfigException(List.of(new ConfigProblem(LauncherSettings.DATA_DIR.key(),
            file.getParent().toString(), "a writable directory (the header mask key " + DEFAULT_FILE
                + " is created there), or set shadowcar.mask.keyFile")));
      }
    }
    return read(file, LauncherSettings.MASK_KEY_FILE.key());
  }

  private static void ownerOnly(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException notPosix) {
      // Windows: the data directory's own permissions apply
    }
  }

  private static String randomKey() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
