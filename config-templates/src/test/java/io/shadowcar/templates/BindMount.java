package io.shadowcar.templates;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real bind mount of one file over another ({@code mount --bind}), the way containers mount a single config file.
 * Renaming over such a target fails with EBUSY. Needs root with CAP_SYS_ADMIN: the test is skipped (not passed)
 * elsewhere.
 */
final class BindMount implements AutoCloseable {

  private final Path mountPoint;

  private BindMount(Path mountPoint) {
    this.mountPoint = mountPoint;
  }

  static BindMount over(Path mountPoint, Path file) throws IOException, InterruptedException {
    assumeTrue(run("mount", "--bind", file.toString(), mountPoint.toString()) == 0,
        "mount --bind needs root with CAP_SYS_ADMIN");
    return new BindMount(mountPoint);
  }

  @Override
  public void close() throws IOException, InterruptedException {
    if (run("umount", mountPoint.toString()) != 0) {
      throw new IOException("umount " + mountPoint + " failed");
    }
  }

  private static int run(String... command) throws IOException, InterruptedException {
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      return -1; // no mount binary: treated like no permission
    }
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return -1;
    }
    return process.exitValue();
  }
}
