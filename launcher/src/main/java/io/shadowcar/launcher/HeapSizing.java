package io.shadowcar.launcher;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.shadowcar.launcher.config.SidecarConfig;
import java.lang.management.ManagementFactory;

/**
 * The heap the configured bounds call for, so a heap too small for them is said at start-up rather than found by an
 * {@code OutOfMemoryError} under load: {@value #BASE_MIB} MiB for the sidecar itself (Vert.x, meters, the diff's
 * aggregates: about 25 MiB live under load, plus room for the young generation) + {@code shadowcar.shadow.maxBufferedBytes}
 * (captured request bodies and primary responses) + {@code shadowcar.diff.queue.maxBytes} (exchanges waiting for the
 * diff). With the defaults 64 + 64 + 32 = 160 MiB, the heap of scripts/jvm.options. docs/operations.md (Sizing) has
 * the whole formula, with what this one leaves to the operator (Kafka's buffer, shadow answers read for the diff).
 */
final class HeapSizing {

  static final long BASE_MIB = 64;

  private HeapSizing() {}

  /**
   * The heap limit as set ({@code -Xmx}, or the JVM's default): {@link Runtime#maxMemory()} leaves out a survivor
   * space, which would make an exact {@code -Xmx160m} look short of 160 MiB.
   */
  static long maxHeapBytes() {
    try {
      HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      return Long.parseLong(hotspot.getVMOption("MaxHeapSize").getValue());
    } catch (RuntimeException | LinkageError notHotSpot) {
      return Runtime.getRuntime().maxMemory();
    }
  }

  /** Heap bytes the bounds of {@code config} want at least. */
  static long neededBytes(SidecarConfig config) {
    return (BASE_MIB << 20) + config.tee().maxBufferedBytes() + config.diff().queueMaxBytes();
  }

  /**
   * One line naming the heap limit against what the bounds want, or {@code null} when the heap is large enough.
   *
   * @param maxHeapBytes the JVM's limit ({@link Runtime#maxMemory()})
   */
  static String warning(long maxHeapBytes, SidecarConfig config) {
    long needed = neededBytes(config);
    if (maxHeapBytes >= needed) {
      return null;
    }
    return "heap max " + (maxHeapBytes >> 20) + " MiB is below the " + (needed >> 20) + " MiB that "
        + "shadowcar.shadow.maxBufferedBytes and shadowcar.diff.queue.maxBytes may fill (+ " + BASE_MIB
        + " MiB for the sidecar): raise -Xmx or lower those bounds (docs/operations.md, Sizing)";
  }
}
