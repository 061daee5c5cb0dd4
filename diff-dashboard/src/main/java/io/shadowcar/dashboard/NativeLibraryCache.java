package io.shadowcar.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * Where SQLite's native library is loaded from.
 *
 * <p>Left to itself, the driver copies its library out of the jar into the temporary directory under a new random
 * name at every start and asks the JVM to delete it at exit. A process that never reaches a normal exit (SIGKILL, the
 * OOM killer, {@code -XX:+ExitOnOutOfMemoryError}) leaves 1.1 MiB behind each time, and the driver's own clean-up
 * skips such files because of the lock file beside them: a host whose sidecar is killed now and then fills its
 * temporary directory. Instead the library is kept once per driver build, in a directory of this user's own
 * ({@code shadowcar-<uid>}, mode 700, under {@code org.sqlite.tmpdir} when set, else {@code java.io.tmpdir}), named by
 * the driver's version and the CRC-32 of the library, compared byte for byte with the jar's copy before each use, and
 * handed to the driver through {@code org.sqlite.lib.path} and {@code org.sqlite.lib.name}. Every start reuses it;
 * nothing is written per start and nothing is left per process.
 *
 * <p>Left to the driver (logged once): when {@code org.sqlite.lib.path} is already set, when the jar holds no library
 * for this platform, and when the directory cannot be made or is not this user's alone (another owner, a symbolic
 * link, writable by group or others: a library another user could replace would run inside this process).
 */
final class NativeLibraryCache {

  private static final String LIB_PATH = "org.sqlite.lib.path";
  private static final String LIB_NAME = "org.sqlite.lib.name";
  private static final Logger LOG = LoggerFactory.getLogger(NativeLibraryCache.class);
  private static final String PARTIAL = ".partial";
  private static final Duration ABANDONED_AFTER = Duration.ofMinutes(1);
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
  private static boolean prepared;

  private NativeLibraryCache() {}

  /** Points the driver at the kept library, writing it first if needed; once per process, before the driver loads. */
  static synchronized void prepare() {
    if (prepared) {
      return;
    }
    prepared = true;
    if (System.getProperty(LIB_PATH) != null) {
      LOG.debug("SQLite's native library: {} is set, the driver loads it from there", LIB_PATH);
      return;
    }
    String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + LibraryLoaderUtil.getNativeLibName();
    try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
      if (in == null) {
        LOG.debug("SQLite's native library: none in the jar at {}, left to the driver", resource);
        return;
      }
      Path base = Path.of(System.getProperty("org.sqlite.tmpdir", System.getProperty("java.io.tmpdir")));
      Path probe = Files.createTempFile(base, "shadowcar-", ".probe");
      Path dir;
      try {
        // this process's user as the file system sees it: a user name may be missing or shared (containers that run
        // with an arbitrary uid have no passwd entry), the uid is not
        dir = ownDirectory(base, "shadowcar-" + Files.getAttribute(probe, "unix:uid"), Files.getOwner(probe));
      } finally {
        Files.deleteIfExists(probe);
      }
      Path library = keep(dir, SQLiteJDBCLoader.getVersion(), LibraryLoaderUtil.getNativeLibName(), in.readAllBytes());
      System.setProperty(LIB_PATH, dir.toString());
      System.setProperty(LIB_NAME, library.getFileName().toString());
    } catch (IOException | RuntimeException e) {
      LOG.warn("SQLite's native library is extracted to a new temporary file at this start, as the driver does by "
          + "itself (a process killed without a normal exit leaves that file behind): {}", e.toString());
    }
  }

  /**
   * The directory {@code name} under {@code base}, created with mode 700 if absent.
   *
   * @throws IOException when it cannot be made, or exists but is not a directory of {@code owner}'s that only they can
   *     write to
   */
  static Path ownDirectory(Path base, String name, UserPrincipal owner) throws IOException {
    Path dir = base.toAbsolutePath().resolve(name);
    try {
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    } catch (FileAlreadyExistsException exists) {
      // made by an earlier start, or by someone else: checked below either way
    }
    PosixFileAttributes attributes = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!attributes.isDirectory()) {
      throw new IOException(dir + " is not a directory (a symbolic link or a file)");
    }
    if (!attributes.owner().equals(owner)) {
      throw new IOException(dir + " belongs to " + attributes.owner().getName() + ", not to " + owner.getName());
    }
    Set<PosixFilePermission> permissions = attributes.permissions();
    if (permissions.contains(PosixFilePermission.GROUP_WRITE)
        || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
      throw new IOException(dir + " is writable by others (" + PosixFilePermissions.toString(permissions) + ")");
    }
    return dir;
  }

  /**
   * The library {@code content} as a file in {@code dir}: the one kept there when its bytes are the same, else
   * written anew (through a temporary file and an atomic rename, so that another process never loads half a file).
   */
  static Path keep(Path dir, String version, String name, byte[] content) throws IOException {
    removeAbandonedWrites(dir, Instant.now());
    CRC32 crc = new CRC32();
    crc.update(content);
    Path library = dir.resolve(String.format(Locale.ROOT, "sqlite-%s-%08x-%s", version, crc.getValue(), name));
    try {
      if (Arrays.equals(Files.readAllBytes(library), content)) {
        return library;
      }
    } catch (NoSuchFileException absent) {
      // the first start of this driver build
    }
    Path partial = Files.createTempFile(dir, "sqlite-", PARTIAL, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    try {
      Files.write(partial, content);
      Files.move(partial, library, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(partial);
    }
    return library;
  }

  /**
   * Deletes the temporary files of writes that never finished (a process killed in the few milliseconds of its first
   * start's write) once they are a minute old; a younger one may be another process's write in progress.
   */
  static void removeAbandonedWrites(Path dir, Instant now) throws IOException {
    Instant before = now.minus(ABANDONED_AFTER);
    try (DirectoryStream<Path> partials = Files.newDirectoryStream(dir, "sqlite-*" + PARTIAL)) {
      for (Path partial : partials) {
        try {
          if (Files.getLastModifiedTime(partial, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(before)) {
            Files.deleteIfExists(partial);
          }
        } catch (NoSuchFileException gone) {
          // renamed or removed meanwhile
        }
      }
    }
  }
}
