package io.shadowcar.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeftoverNativeLibrariesTest {

  private static final Instant NOW = Instant.parse("2026-12-05T07:00:00Z");
  private static final Instant LEFT_LONG_AGO = NOW.minusSeconds(3600);
  private static final byte[] LIBRARY = new byte[4096];

  @TempDir Path dir;

  @BeforeAll
  static void procIsThere() {
    assertTrue(Files.isDirectory(Path.of("/proc/self")),
        "the sweep learns this process's uid from /proc/self: run these tests on Linux with /proc mounted");
  }

  private Path file(String name, Instant modified) throws IOException {
    Path file = Files.write(dir.resolve(name), LIBRARY);
    Files.setLastModifiedTime(file, FileTime.from(modified));
    return file;
  }

  private List<String> left() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(file -> file.getFileName().toString()).sorted().toList();
    }
  }

  private static List<String> names(LeftoverNativeLibraries.Sweep sweep) {
    return sweep.removed().stream().map(file -> file.getFileName().toString()).sorted(Comparator.naturalOrder())
        .toList();
  }

  @Test
  void theCopiesKilledProcessesLeftAreRemovedWithTheirLockFiles() throws IOException {
    file("liblz4-java-7310934127765361946.so", LEFT_LONG_AGO);
    file("liblz4-java-7310934127765361946.so.lck", LEFT_LONG_AGO);
    file("sqlite-3.54.1.0-0f6d1e8c-2a4b-4c7e-9d3f-5b8a1c2e4f60-libsqlitejdbc.so", LEFT_LONG_AGO);
    file("sqlite-3.54.1.0-0f6d1e8c-2a4b-4c7e-9d3f-5b8a1c2e4f60-libsqlitejdbc.so.lck", LEFT_LONG_AGO);
    file("libnetty_transport_native_io_uring42_x86_645713418339018617443.so", LEFT_LONG_AGO);
    file("liblz4-java-1111.so.lck", LEFT_LONG_AGO); // its library already gone

    LeftoverNativeLibraries.Sweep sweep = LeftoverNativeLibraries.sweep(dir, NOW);

    assertEquals(List.of(), left(), sweep.toString());
    assertEquals(6, sweep.removed().size(), sweep.toString());
    assertEquals(6L * LIBRARY.length, sweep.bytes());
  }

  @Test
  void aCopyALiveProcessLoadedGoesTooAndTheProcessKeepsUsingIt() throws IOException {
    byte[] content = "\u007fELF a loaded library".getBytes(StandardCharsets.ISO_8859_1);
    Path loaded = Files.write(dir.resolve("liblz4-java-4242.so"), content);
    Files.setLastModifiedTime(loaded, FileTime.from(LEFT_LONG_AGO));

    // mapped, as a live process maps the library it loaded
    try (FileChannel channel = FileChannel.open(loaded, StandardOpenOption.READ)) {
      MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, content.length);
      LeftoverNativeLibraries.Sweep sweep = LeftoverNativeLibraries.sweep(dir, NOW);

      assertEquals(List.of("liblz4-java-4242.so"), names(sweep));
      assertEquals(List.of(), left());
      byte[] stillThere = new byte[content.length];
      mapped.get(stillThere);
      assertArrayEquals(content, stillThere);
    }
  }

  @Test
  void aCopyYoungerThanAMinuteMayStillBeBeingWrittenAndStays() throws IOException {
    // being written by a starting process, or just loaded by it
    file("liblz4-java-5555.so", NOW.minus(LeftoverNativeLibraries.MIN_AGE).plusSeconds(5));
    file("liblz4-java-5555.so.lck", NOW.minus(LeftoverNativeLibraries.MIN_AGE).plusSeconds(5));
    file("liblz4-java-6666.so", NOW.minus(LeftoverNativeLibraries.MIN_AGE).minusSeconds(5));

    LeftoverNativeLibraries.Sweep sweep = LeftoverNativeLibraries.sweep(dir, NOW);

    assertEquals(List.of("liblz4-java-6666.so"), names(sweep));
    assertEquals(List.of("liblz4-java-5555.so", "liblz4-java-5555.so.lck"), left());
  }

  @Test
  void otherFilesSubdirectoriesAndSymbolicLinksAreLeftAlone() throws IOException {
    file("liblz4-java-notes.txt", LEFT_LONG_AGO);
    file("libsomething-123.so", LEFT_LONG_AGO);
    file("sqlite-3.54.1.0-abc-libsqlitejdbc.so", LEFT_LONG_AGO);
    Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
    Path target = Files.write(elsewhere.resolve("liblz4-java-77.so"), LIBRARY);
    Files.setLastModifiedTime(target, FileTime.from(LEFT_LONG_AGO));
    Files.createSymbolicLink(dir.resolve("liblz4-java-88.so"), target);

    LeftoverNativeLibraries.Sweep sweep = LeftoverNativeLibraries.sweep(dir, NOW);

    assertEquals(List.of(), sweep.removed());
    assertEquals(List.of("elsewhere", "liblz4-java-88.so", "liblz4-java-notes.txt", "libsomething-123.so",
        "sqlite-3.54.1.0-abc-libsqlitejdbc.so"), left());
    assertTrue(Files.exists(target), "the sweep followed a link into a subdirectory");
    assertFalse(Files.isSymbolicLink(target));
  }

  @Test
  void onlyTheCommandsThatKeepRunningSweepAtStart() {
    assertTrue(Main.keepsRunning(new String[] {}));
    assertTrue(Main.keepsRunning(new String[] {"--config", "sidecar.properties"}));
    assertTrue(Main.keepsRunning(new String[] {"replay", "--topic", "t", "--target", "http://127.0.0.1:1"}));
    assertTrue(Main.keepsRunning(new String[] {"diff-worker", "--bootstrap", "127.0.0.1:9092"}));
    assertTrue(Main.keepsRunning(new String[] {"diff-dashboard"}));
    // one-shot commands, whose output scripts read, and arguments that do not parse
    assertFalse(Main.keepsRunning(new String[] {"--config", "sidecar.properties", "--check-config"}));
    assertFalse(Main.keepsRunning(new String[] {"--once"}));
    assertFalse(Main.keepsRunning(new String[] {"--dry"}));
    assertFalse(Main.keepsRunning(new String[] {"--help"}));
    assertFalse(Main.keepsRunning(new String[] {"replay", "--help"}));
    assertFalse(Main.keepsRunning(new String[] {"diff-worker", "-h"}));
    assertFalse(Main.keepsRunning(new String[] {"--no-such-option"}));
  }
}
