package io.shadowcar.dashboard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeLibraryCacheTest {

  private static final String NAME = "shadowcar-test";
  private static final byte[] LIBRARY = "\u007fELF a library".getBytes(StandardCharsets.ISO_8859_1);
  private static final FileAttribute<?> OWNER_ONLY =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

  @TempDir Path base;

  private UserPrincipal me() throws IOException {
    return Files.getOwner(base);
  }

  @Test
  void theDirectoryIsMadeForItsUserAlone() throws IOException {
    Path dir = NativeLibraryCache.ownDirectory(base, NAME, me());

    assertEquals(base.toAbsolutePath(), dir.getParent());
    assertEquals(NAME, dir.getFileName().toString());
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    assertEquals(dir, NativeLibraryCache.ownDirectory(base, NAME, me()));
  }

  @Test
  void aDirectoryOthersCanWriteToIsRefused() throws IOException {
    Path dir = NativeLibraryCache.ownDirectory(base, NAME, me());
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));

    IOException refused = assertThrows(IOException.class, () -> NativeLibraryCache.ownDirectory(base, NAME, me()));
    assertTrue(refused.getMessage().contains("writable by others"), refused.getMessage());
  }

  @Test
  void aSymbolicLinkInItsPlaceIsRefused() throws IOException {
    Path elsewhere = Files.createDirectory(base.resolve("elsewhere"), OWNER_ONLY);
    Files.createSymbolicLink(base.resolve(NAME), elsewhere);

    IOException refused = assertThrows(IOException.class, () -> NativeLibraryCache.ownDirectory(base, NAME, me()));
    assertTrue(refused.getMessage().contains("not a directory"), refused.getMessage());
  }

  @Test
  void aDirectoryOfAnotherUserIsRefused() throws IOException {
    // made by this user, found by a process of another one: its owner is not the one asking
    UserPrincipal other = base.getFileSystem().getUserPrincipalLookupService()
        .lookupPrincipalByName(me().getName().equals("nobody") ? "root" : "nobody");
    NativeLibraryCache.ownDirectory(base, NAME, me());

    IOException refused =
        assertThrows(IOException.class, () -> NativeLibraryCache.ownDirectory(base, NAME, other));
    assertTrue(refused.getMessage().contains("belongs to " + me().getName() + ", not to " + other.getName()),
        refused.getMessage());
  }

  @Test
  void theLibraryIsWrittenOnceAndReusedByLaterStarts() throws IOException {
    Path dir = NativeLibraryCache.ownDirectory(base, NAME, me());

    Path first = NativeLibraryCache.keep(dir, "3.54.1.0", "libsqlitejdbc.so", LIBRARY);
    Object inode = Files.readAttributes(first, BasicFileAttributes.class).fileKey();
    Path second = NativeLibraryCache.keep(dir, "3.54.1.0", "libsqlitejdbc.so", LIBRARY.clone());

    assertTrue(first.getFileName().toString().matches("sqlite-3\\.54\\.1\\.0-[0-9a-f]{8}-libsqlitejdbc\\.so"),
        first.toString());
    assertEquals(first, second);
    assertEquals(inode, Files.readAttributes(second, BasicFileAttributes.class).fileKey(), "rewritten");
    assertArrayEquals(LIBRARY, Files.readAllBytes(second));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(second)));
    assertEquals(List.of(first), filesIn(dir));
  }

  @Test
  void aDamagedCopyIsReplaced() throws IOException {
    Path dir = NativeLibraryCache.ownDirectory(base, NAME, me());
    Path kept = NativeLibraryCache.keep(dir, "3.54.1.0", "libsqlitejdbc.so", LIBRARY);
    Files.write(kept, new byte[] {1, 2, 3});

    Path again = NativeLibraryCache.keep(dir, "3.54.1.0", "libsqlitejdbc.so", LIBRARY);

    assertEquals(kept, again);
    assertArrayEquals(LIBRARY, Files.readAllBytes(again));
    assertEquals(List.of(kept), filesIn(dir));
  }

  @Test
  void anotherBuildOfTheLibraryGetsAFileOfItsOwn() throws IOException {
    Path dir = NativeLibraryCache.ownDirectory(base, NAME, me());
    Path one = NativeLibraryCache.keep(dir, "3.54.1.0", "libsqlitejdbc.so", LIBRARY);
    byte[] rebuilt = LIBRARY.clone();
    rebuilt[rebuilt.length - 1] ^= 1;

    Path other = NativeLibraryCache.keep(dir, "3.54.1.0", "libsqlitejdbc.so", rebuilt);

    assertNotEquals(one, other);
    assertArrayEquals(LIBRARY, Files.readAllBytes(one));
    assertArrayEquals(rebuilt, Files.readAllBytes(other));
  }

  @Test
  void aWriteAKilledProcessLeftUnfinishedIsRemovedOnceItIsAMinuteOld() throws IOException {
    Path dir = NativeLibraryCache.ownDirectory(base, NAME, me());
    Instant now = Instant.now();
    Path abandoned = Files.write(dir.resolve("sqlite-8123.partial"), new byte[] {1});
    Files.setLastModifiedTime(abandoned, FileTime.from(now.minusSeconds(61)));
    Path inProgress = Files.write(dir.resolve("sqlite-8124.partial"), new byte[] {1});
    Files.setLastModifiedTime(inProgress, FileTime.from(now.minusSeconds(59)));

    NativeLibraryCache.removeAbandonedWrites(dir, now);

    assertEquals(List.of(inProgress), filesIn(dir));
  }

  private static List<Path> filesIn(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.toList();
    }
  }
}
