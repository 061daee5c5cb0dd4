package io.shadowcar.templates;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetWriterTest {

  @TempDir Path dir;

  private final TargetWriter writer = new TargetWriter();

  private TemplateConfig config() {
    return TemplateConfig.of("app", dir.resolve("app.properties.template"), dir.resolve("app.properties"));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }

  @Test
  void unchangedBytesLeaveTheFileUntouched() throws Exception {
    Path target = config().target();
    assertEquals(RenderResult.WRITTEN, writer.write(config(), bytes("a=1\n")));
    FileStamp stamp = FileStamp.backdate(target);

    assertEquals(RenderResult.UNCHANGED, writer.write(config(), bytes("a=1\n")));

    stamp.assertUntouched(target);
  }

  @Test
  void changedBytesReplaceTheFileByRenameAndLeaveNoTemporaryFile() throws Exception {
    Path target = config().target();
    writer.write(config(), bytes("a=1\n"));
    Object inode = FileStamp.of(target).inode();

    assertEquals(RenderResult.WRITTEN, writer.write(config(), bytes("a=2\n")));

    assertEquals("a=2\n", Files.readString(target));
    assertFalse(inode.equals(FileStamp.of(target).inode()), "a new inode");
    try (var files = Files.list(dir)) {
      assertEquals(List.of(target), files.toList());
    }
  }

  @Test
  void newFileGetsDefaultPermissions() throws Exception {
    writer.write(config(), bytes("a=1\n"));
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(config().target())));
  }

  @Test
  void keepsExistingPermissions() throws Exception {
    Path target = config().target();
    Files.writeString(target, "old\n");
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-rw----"));

    writer.write(config(), bytes("new\n"));

    assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
  }

  @Test
  void setsConfiguredPermissions() throws Exception {
    Path target = config().target();
    Files.writeString(target, "old\n");

    writer.write(config().withPerms("0600"), bytes("new\n"));

    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
  }

  @Test
  void setsConfiguredPermissionsEvenWhenTheContentIsUnchanged() throws Exception {
    Path target = Files.writeString(config().target(), "same\n");
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-rw-rw-"));
    FileStamp stamp = FileStamp.backdate(target);

    assertEquals(RenderResult.UNCHANGED, writer.write(config().withPerms("0640"), bytes("same\n")));

    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
    stamp.assertUntouched(target);
  }

  @Test
  void keepsThePreviousFileAsBackup() throws Exception {
    Path target = config().target();
    Files.writeString(target, "old\n");

    writer.write(config().withBackup(true), bytes("new\n"));

    assertEquals("new\n", Files.readString(target));
    assertEquals("old\n", Files.readString(dir.resolve("app.properties.bak")));
  }

  @Test
  void writesThroughASymbolicLink() throws Exception {
    Path real = Files.writeString(dir.resolve("real.properties"), "old\n");
    Files.createSymbolicLink(config().target(), real);

    writer.write(config(), bytes("new\n"));

    assertTrue(Files.isSymbolicLink(config().target()));
    assertEquals("new\n", Files.readString(real));
  }

  @Test
  void failsLoudlyWhenSomethingThatIsNotAFileIsInTheWay() throws Exception {
    Path target = Files.createDirectory(config().target());
    Files.writeString(target.resolve("inside"), "x");

    TemplateException e = assertThrows(TemplateException.class, () -> writer.write(config(), bytes("new\n")));

    assertEquals(RenderResult.RENAME_FAILED, e.result());
    assertTrue(e.getMessage().contains("shadowcar.templates.app.inPlaceFallback=true"), e.getMessage());
    assertTrue(Files.isDirectory(target));
    try (var files = Files.list(dir)) {
      assertEquals(List.of(target), files.toList(), "temporary file removed");
    }
  }

  @Test
  void createsMissingParentDirectories() throws Exception {
    TemplateConfig config = TemplateConfig.of("app", dir.resolve("s"), dir.resolve("etc/app/app.properties"));

    assertEquals(RenderResult.WRITTEN, writer.write(config, bytes("a=1\n")));

    assertEquals("a=1\n", Files.readString(config.target()));
  }

  @Test
  void inPlaceFallbackDoesNotWriteIntoADirectory() throws Exception {
    Path target = Files.createDirectory(config().target());

    TemplateException e = assertThrows(TemplateException.class,
        () -> writer.write(config().withInPlaceFallback(true), bytes("new\n")));

    assertEquals(RenderResult.RENAME_FAILED, e.result());
    assertTrue(e.getMessage().contains("needs an existing regular file"), e.getMessage());
    assertTrue(Files.isDirectory(target));
  }

  @Test
  void bindMountedTargetFailsLoudlyWithoutFallback() throws Exception {
    Path target = Files.writeString(config().target(), "old\n");
    Path mounted = Files.writeString(Files.createDirectory(dir.resolve("host")).resolve("app.properties"), "old\n");
    try (BindMount mount = BindMount.over(target, mounted)) {
      TemplateException e = assertThrows(TemplateException.class, () -> writer.write(config(), bytes("new\n")));

      assertEquals(RenderResult.RENAME_FAILED, e.result());
      assertTrue(e.getMessage().contains("Device or resource busy"), e.getMessage());
      assertEquals("old\n", Files.readString(target));
    }
    try (var files = Files.list(dir)) {
      assertEquals(2, files.count(), "only the target and host/ remain");
    }
  }

  @Test
  void bindMountedTargetIsWrittenInPlaceWithFallback() throws Exception {
    Path target = Files.writeString(config().target(), "old\n");
    Path mounted = Files.writeString(Files.createDirectory(dir.resolve("host")).resolve("app.properties"), "old\n");
    try (BindMount mount = BindMount.over(target, mounted)) {
      assertEquals(RenderResult.WRITTEN_IN_PLACE,
          writer.write(config().withInPlaceFallback(true), bytes("new, longer than before\n")));

      assertEquals("new, longer than before\n", Files.readString(target));
    }
    assertEquals("new, longer than before\n", Files.readString(mounted), "the host's file changed");
  }

  @Test
  void holdsTellsWhetherTheTargetHasTheseBytes() throws IOException {
    Path target = Files.writeString(config().target(), "a=1\n");
    assertTrue(TargetWriter.holds(target, bytes("a=1\n")));
    assertFalse(TargetWriter.holds(target, bytes("a=2\n")));
    assertFalse(TargetWriter.holds(dir.resolve("absent"), bytes("")));
  }
}
