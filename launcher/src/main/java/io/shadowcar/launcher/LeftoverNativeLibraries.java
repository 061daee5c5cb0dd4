package io.shadowcar.launcher;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the native libraries that JNI loaders copied into {@code java.io.tmpdir} for processes that were then killed.
 *
 * <p>lz4-java (Kafka's lz4 codec, the Kafka sink's default compression), SQLite's driver when it extracts for itself,
 * and Netty's native transports copy their library out of the jar under a new random name in each process and delete
 * it only at a normal JVM exit (Netty right after loading it). A process ended by SIGKILL, the OOM killer or
 * {@code -XX:+ExitOnOutOfMemoryError} never gets there, and the loaders' own clean-up skips a copy whose lock file
 * ({@code .lck}) is still beside it, so each kill leaves its copy for good (151 KiB for lz4-java) and a small temporary
 * volume that survives restarts fills up.
 *
 * <p>A file is removed when its name is one of those loaders' copies or their lock files ({@link #LIBRARY_NAMES}), it
 * is a regular file (never a symbolic link) of this process's user, and it was last written at least {@link #MIN_AGE}
 * ago. No process ever loads an old copy (each makes a new one and maps it milliseconds after writing it), so the age
 * is all that keeps a copy being written safe. A copy that a live process loaded earlier goes too, which costs that
 * process nothing: its library stays mapped, and the kernel frees the file once the process ends.
 */
final class LeftoverNativeLibraries {

  /** Older than any copy a loader is still writing: a loader maps its copy milliseconds after creating it. */
  static final Duration MIN_AGE = Duration.ofMinutes(1);

  static final List<Pattern> LIBRARY_NAMES = List.of(
      // lz4-java: File.createTempFile("liblz4-java-", ".so.lck"), the library is that name without ".lck"
      Pattern.compile("liblz4-java-\\d+\\.so(\\.lck)?"),
      // SQLite's driver, extracting for itself: sqlite-<version>-<uuid>-libsqlitejdbc.so (+ ".lck")
      Pattern.compile("sqlite-[0-9.]+-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-libsqlitejdbc\\.so"
          + "(\\.lck)?"),
      // Netty's native transports: lib<name><random digits>.so, deleted once loaded
      Pattern.compile("libnetty_[A-Za-z0-9_]+\\d+\\.so"));

  private static final Logger LOG = LoggerFactory.getLogger(LeftoverNativeLibraries.class);
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  /**
   * What a sweep removed.
   *
   * @param removed the files it deleted
   * @param bytes their total size
   */
  record Sweep(List<Path> removed, long bytes) {}

  private LeftoverNativeLibraries() {}

  /** Sweeps {@code java.io.tmpdir} on a daemon thread of its own, off the start's path; logs what it removed. */
  static void sweepInBackground() {
    Thread sweeper = new Thread(() -> {
      Path dir = Path.of(System.getProperty("java.io.tmpdir"));
      try {
        Sweep sweep = sweep(dir, Instant.now());
        if (!sweep.removed().isEmpty()) {
          LOG.info("removed {} native librar{} ({} KiB) that killed processes left in {}: {}",
              sweep.removed().size(), sweep.removed().size() == 1 ? "y" : "ies", (sweep.bytes() + 1023) / 1024, dir,
              sweep.removed().stream().map(file -> file.getFileName().toString()).limit(6).toList());
        }
      } catch (IOException | RuntimeException e) {
        LOG.debug("no sweep of native libraries left in {}: {}", dir, e.toString());
      }
    }, "shadowcar-sweep");
    sweeper.setDaemon(true);
    sweeper.setPriority(Thread.MIN_PRIORITY);
    sweeper.start();
  }

  /** Removes from {@code dir} (not its subdirectories) the leftover copies as described above, as of {@code now}. */
  static Sweep sweep(Path dir, Instant now) throws IOException {
    Path self = Path.of("/proc/self");
    if (!Files.isDirectory(self)) {
      return new Sweep(List.of(), 0); // not Linux: which user this process runs as is not known here
    }
    int uid = (Integer) Files.getAttribute(self, "unix:uid"); // follows the link to this process's directory
    List<Path> removed = new ArrayList<>();
    long bytes = 0;
    for (Path file : leftovers(dir, uid, now.minus(MIN_AGE))) {
      try {
        long size = Files.size(file);
        if (Files.deleteIfExists(file)) {
          removed.add(file);
          bytes += size;
        }
      } catch (NoSuchFileException gone) {
        // removed meanwhile, by another process's sweep or by the loader's own clean-up
      }
    }
    return new Sweep(List.copyOf(removed), bytes);
  }

  /** The files of {@code dir} named like a loader's copy, regular, owned by {@code uid}, last written before. */
  private static List<Path> leftovers(Path dir, int uid, Instant before) throws IOException {
    List<Path> candidates = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, LeftoverNativeLibraries::loaderNamed)) {
      for (Path file : files) {
        try {
          BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, NOFOLLOW);
          if (attributes.isRegularFile() && attributes.lastModifiedTime().toInstant().isBefore(before)
              && uidOf(file) == uid) {
            candidates.add(file.toAbsolutePath());
          }
        } catch (NoSuchFileException gone) {
          // deleted while listed
        }
      }
    }
    return candidates;
  }

  private static boolean loaderNamed(Path file) {
    String name = file.getFileName().toString();
    return LIBRARY_NAMES.stream().anyMatch(pattern -> pattern.matcher(name).matches());
  }

  private static int uidOf(Path file) throws IOException {
    return (Integer) Files.getAttribute(file, "unix:uid", NOFOLLOW);
  }
}
