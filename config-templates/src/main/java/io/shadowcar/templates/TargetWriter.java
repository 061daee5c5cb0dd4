package io.shadowcar.templates;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces a target file with new bytes so that a reader sees either the old or the new file, never a partial one:
 * temp file in the target's directory (created if missing), write, fsync, permissions (and owner, when allowed), optional {@code .bak}
 * copy, atomic rename over the target, fsync of the directory. Equal bytes leave the file untouched (mtime, inode).
 *
 * <p>Where the rename cannot work (a bind-mounted single file gives EBUSY; a directory in the way gives EISDIR) it
 * fails with {@link RenderResult#RENAME_FAILED}, unless {@link TemplateConfig#inPlaceFallback()} is set: then the
 * target is truncated and written in place, which a reader can catch half-written. Blocking: call on a worker thread.
 */
final class TargetWriter {

  private static final Logger LOG = LoggerFactory.getLogger(TargetWriter.class);

  /** Writes {@code content} to the target of {@code config} unless it already holds exactly those bytes. */
  RenderResult write(TemplateConfig config, byte[] content) throws TemplateException {
    Path target = resolve(config.target());
    Optional<PosixFileAttributes> existing = attributes(target);
    if (existing.isPresent() && existing.get().isRegularFile() && sameBytes(target, content)) {
      enforcePerms(config, target, existing.get());
      return RenderResult.UNCHANGED;
    }
    Set<PosixFilePermission> perms = config.perms()
        .or(() -> existing.filter(PosixFileAttributes::isRegularFile).map(PosixFileAttributes::permissions))
        .orElse(TemplateConfig.NEW_FILE_PERMS);
    Path dir = target.toAbsolutePath().getParent();
    Path temp;
    try {
      Files.createDirectories(dir);
      temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    } catch (IOException e) {
      return inPlaceOrFail(config, target, content, perms, RenderResult.WRITE_FAILED,
          "cannot create a temporary file in " + dir + " (" + reason(e) + ")", e);
    }
    try {
      writeAndSync(temp, content, false);
      Files.setPosixFilePermissions(temp, perms);
      existing.filter(PosixFileAttributes::isRegularFile).ifPresent(attrs -> keepOwner(temp, attrs));
      backup(config, target, existing);
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        return inPlaceOrFail(config, target, content, perms, RenderResult.RENAME_FAILED,
            "cannot replace " + target + " by rename (" + reason(e) + ")", e);
      }
      syncDirectory(dir);
      return RenderResult.WRITTEN;
    } catch (IOException e) {
      throw new TemplateException(RenderResult.WRITE_FAILED, "cannot write " + target + " (" + reason(e) + ")", e);
    } finally {
      deleteQuietly(temp);
    }
  }

  /** True when {@code target} is a regular file holding exactly {@code content}. */
  static boolean holds(Path target, byte[] content) {
    try {
      return Files.isRegularFile(target) && sameBytes(resolve(target), content);
    } catch (TemplateException e) {
      return false;
    }
  }

  private RenderResult inPlaceOrFail(TemplateConfig config, Path target, byte[] content,
      Set<PosixFilePermission> perms, RenderResult failure, String problem, IOException cause)
      throws TemplateException {
    if (config.inPlaceFallback() && !Files.isRegularFile(target)) {
      throw new TemplateException(failure,
          problem + "; the old file stays (the in-place fallback needs an existing regular file)", cause);
    }
    if (!config.inPlaceFallback()) {
      throw new TemplateException(failure, problem + "; the old file stays. If the target is a "
          + "bind-mounted single file, set " + TemplateSettings.IN_PLACE_FALLBACK.key(config.name())
          + "=true to write it in place (not atomic)", cause);
    }
    LOG.warn("template {}: {}; writing in place (not atomic)", config.name(), problem);
    try {
      backup(config, target, attributes(target));
      writeAndSync(target, content, true);
      if (config.perms().isPresent()) {
        Files.setPosixFilePermissions(target, perms);
      }
      return RenderResult.WRITTEN_IN_PLACE;
    } catch (IOException e) {
      e.addSuppressed(cause);
      throw new TemplateException(RenderResult.WRITE_FAILED,
          problem + "; writing in place failed too (" + reason(e) + ")", e);
    }
  }

  /** Configured perms hold even when the content is unchanged (chmod moves ctime only, never mtime or inode). */
  private static void enforcePerms(TemplateConfig config, Path target, PosixFileAttributes attributes)
      throws TemplateException {
    if (config.perms().isPresent() && !config.perms().get().equals(attributes.permissions())) {
      try {
        Files.setPosixFilePermissions(target, config.perms().get());
      } catch (IOException e) {
        throw new TemplateException(RenderResult.WRITE_FAILED,
            "cannot set perms of " + target + " (" + reason(e) + ")", e);
      }
    }
  }

  private static void writeAndSync(Path file, byte[] content, boolean truncate) throws IOException {
    try (FileChannel channel = truncate
        ? FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)
        : FileChannel.open(file, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
  }

  private static void backup(TemplateConfig config, Path target, Optional<PosixFileAttributes> existing)
      throws IOException {
    if (config.backup() && existing.isPresent() && existing.get().isRegularFile()) {
      Files.copy(target, config.backupPath(), StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.COPY_ATTRIBUTES);
    }
  }

  /** Only root may give a file away; otherwise the new file belongs to the sidecar's user, as any new file does. */
  private static void keepOwner(Path temp, PosixFileAttributes old) {
    PosixFileAttributeView view = Files.getFileAttributeView(temp, PosixFileAttributeView.class);
    try {
      PosixFileAttributes now = view.readAttributes();
      if (!now.owner().equals(old.owner())) {
        view.setOwner(old.owner());
      }
      if (!now.group().equals(old.group())) {
        view.setGroup(old.group());
      }
    } catch (IOException e) {
      LOG.debug("cannot keep owner {}:{} of {}: {}", old.owner(), old.group(), temp, e.toString());
    }
  }

  /** Makes the rename durable; a file system that cannot sync a directory is not an error. */
  private static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      LOG.debug("cannot fsync directory {}: {}", dir, e.toString());
    }
  }

  /** A symbolic link is written through: the link stays and the file it points to changes. */
  private static Path resolve(Path target) throws TemplateException {
    if (!Files.isSymbolicLink(target)) {
      return target;
    }
    try {
      return target.toRealPath();
    } catch (IOException e) {
      throw new TemplateException(RenderResult.WRITE_FAILED,
          "target " + target + " is a symbolic link that cannot be followed (" + reason(e) + ")", e);
    }
  }

  private static Optional<PosixFileAttributes> attributes(Path target) {
    try {
      return Optional.of(Files.readAttributes(target, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static boolean sameBytes(Path target, byte[] content) throws TemplateException {
    try {
      return Files.size(target) == content.length && Arrays.equals(Files.readAllBytes(target), content);
    } catch (IOException e) {
      throw new TemplateException(RenderResult.WRITE_FAILED,
          "cannot read current " + target + " (" + reason(e) + ")", e);
    }
  }

  private static void deleteQuietly(Path temp) {
    try {
      Files.deleteIfExists(temp);
    } catch (IOException e) {
      LOG.warn("cannot delete temporary file {}: {}", temp, e.toString());
    }
  }

  static String reason(IOException e) {
    return e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null
        ? fse.getReason()
        : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }
}
