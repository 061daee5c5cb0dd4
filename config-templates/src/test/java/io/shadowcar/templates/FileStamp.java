package io.shadowcar.templates;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/** A file's mtime and inode: equal stamps before and after mean the file was not touched (nor replaced). */
record FileStamp(FileTime modified, Object inode) {

  /** Sets the mtime far into the past (so any write would move it) and returns the stamp. */
  static FileStamp backdate(Path file) throws IOException {
    Files.setLastModifiedTime(file, FileTime.fromMillis(1_000_000_000_000L));
    return of(file);
  }

  static FileStamp of(Path file) throws IOException {
    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
    return new FileStamp(attributes.lastModifiedTime(), attributes.fileKey());
  }

  void assertUntouched(Path file) throws IOException {
    assertEquals(this, of(file), "mtime and inode stay");
  }
}
