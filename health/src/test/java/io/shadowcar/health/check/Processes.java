package io.shadowcar.health.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Test helpers for real processes. */
final class Processes {

  private Processes() {}

  /** Writes an executable {@code #!/bin/sh} script. */
  static Path script(Path dir, String name, String body) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  /** Whether pid is a live process (a zombie counts as dead: it runs nothing and holds no pipe). */
  static boolean isRunning(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (IOException e) {
      return false;
    }
  }

  static long readPid(Path file) throws IOException {
    return Long.parseLong(Files.readString(file).trim());
  }
}
