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
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeLibraryCacheTest {

  private static final String USER = System.getProperty("user.name");
  private static final byte[] LIBRARY = "\u007fELF a library".getBytes(StandardCharsets.ISO_8859_1);
  private static final FileAttribute<?> OWNER_ONLY =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

  @TempDir Path base;

  @Test
  void theDirectoryIsMadeForItsUserAlone() throws IOException {
    Path dir = NativeLibraryCache.ownDirectory(base, USER);

    assertEquals(base.toAbsolutePath(), dir.getParent());
    assertTrue(dir.getFileName().toString().startsWith("shadowcar-"), dir.toString());
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    assertEquals(dir, NativeLibraryCache.ownDirectory(base, USER));
  }

  @Test
  void aDirectoryOthersCanWriteToIsRefused() throws IOException {
    Path dir = NativeLibraryCache.ownDirectory(base, USER);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));

    IOException refused = assertThrows(IOException.class, () -> NativeLibraryCache.ownDirectory(base, USER));
    assertTrue(refused.getMessage().contains("writable by others"), refused.getMessage());
  }

  @Test
  void aSymbolicLinkInItsPlaceIsRefused() throws IOException {
    Path elsewhere = Files.createDirectory(base.resolve("elsewhere"), OWNER_ONLY);
    Files.createSymbolicLink(base.resolve("shadowcar-" + USER), elsewhere);

    IOException refused = assertThrows(IOException.class, () -> NativeLibraryCache.ownDirectory(base, USER));
    assertTrue(refused.getMessage().contains("not a directory"), refused.getMessage());
  }

  @Test
  void aDirectoryOfAnotherUserIsRefused() throws IOException {
    // made by this user, found by a process of someone-else: its owner is not the one asking
    Files.createDirectory(base.resolve("shadowcar-someone-else"), OWNER_ONLY);

    IOException refused =
        assertThrows(IOException.class, () -> NativeLibraryCache.ownDirectory(base, "someone-else"));
    assertTrue(refused.getMessage().contains("belongs to " + USER + ", not to someone-else"), refused.getMessage());
  }

  @Test
  void theLibraryIsWrittenOnceAndReusedByLaterStarts() throws IOException {
    Path dir = NativeLibraryCache.ownDirectory(base, USER);

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
    Path dir = NativeLibraryCache.ownDirectory(base, USER);
    Path kept = NativeLibraryCache.keep(dir, "3.54.1.0", "libsqlitejdbc.so", LIBRARY);
    Files.write(kept, new byte[] {1, 2, 3});

    Path again = NativeLibraryCache.keep(dir, "3.54.1.0", "libsqlitejdbc.so", LIBRARY);

    assertEquals(kept, again);
    assertArrayEquals(LIBRARY, Files.readAllBytes(again));
    assertEquals(List.of(kept), filesIn(dir));
  }

  @Test
  void anotherBuildOfTheLibraryGetsAFileOfItsOwn() throws IOException {
    Path dir = NativeLibraryCache.ownDirectory(base, USER);
    Path one = NativeLibraryCache.keep(dir, "3.54.1.0", "libsqlitejdbc.so", LIBRARY);
    byte[] rebuilt = LIBRARY.clone();
    rebuilt[rebuilt.length - 1] ^= 1;

    Path other = NativeLibraryCache.keep(dir, "3.54.1.0", "libsqlitejdbc.so", rebuilt);

    assertNotEquals(one, other);
    assertArrayEquals(LIBRARY, Files.readAllBytes(one));
    assertArrayEquals(rebuilt, Files.readAllBytes(other));
  }

  private static List<Path> filesIn(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.toList();
    }
  }
}
