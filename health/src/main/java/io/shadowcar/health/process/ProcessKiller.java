package io.shadowcar.health.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Kills a check's process and everything it started. Java's Process API cannot send a signal to a process group,
 * so group members are found through {@code /proc/PID/stat} (Linux) and killed one by one with SIGKILL.
 * Descendants are snapshotted before anything is killed: once a parent dies its children are re-parented and no
 * longer show up as descendants, but they stay in the process group.
 */
final class ProcessKiller {

  private static final Path PROC = Path.of("/proc");

  private ProcessKiller() {}

  /**
   * SIGKILLs {@code process}, all its descendants and, when {@code ownGroup}, every member of its process group
   * (the process was started through {@code setsid}, so its pid is the group id).
   */
  static void killTree(ProcessHandle process, boolean ownGroup) {
    List<ProcessHandle> descendants = process.descendants().toList();
    if (ownGroup) {
      killGroup(process.pid());
    }
    descendants.forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  /** SIGKILLs every live process whose process group id is {@code pgid}. Never use with the JVM's own group. */
  static void killGroup(long pgid) {
    if (pgid <= 1 || pgid == processGroupOf(ProcessHandle.current().pid()) || !Files.isDirectory(PROC)) {
      return;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
      for (Path entry : entries) {
        long pid = Long.parseLong(entry.getFileName().toString());
        if (processGroupOf(entry) == pgid) {
          ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
    } catch (IOException | RuntimeException e) {
      // /proc vanished or is unreadable: descendants are still killed by the caller.
    }
  }

  /** The pgrp field of /proc/PID/stat, or -1 when the process is gone. */
  static long processGroupOf(Path procEntry) {
    try {
      String stat = Files.readString(procEntry.resolve("stat"));
      // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so parse after the last ')'.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[2]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** The process group id of a live pid, or -1. */
  static long processGroupOf(long pid) {
    return processGroupOf(PROC.resolve(Long.toString(pid)));
  }
}
