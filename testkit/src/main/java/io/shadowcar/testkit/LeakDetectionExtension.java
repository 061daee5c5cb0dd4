package io.shadowcar.testkit;

import ch.qos.logback.classic.Level;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty's leak detector reports a {@code LEAK:} while it ran. Netty only reports a leak
 * after the leaked buffer was garbage collected and a later buffer was allocated, so after the class this extension
 * collects garbage and allocates a few buffers before looking.
 *
 * <p>Use with {@code -Dio.netty.leakDetection.level=paranoid} (the root pom sets it, with
 * {@code acquireAndReleaseOnly}: a report names where the buffer was retained and released, not every read and write)
 * and logback as the slf4j binding. Not a substitute for releasing buffers in a single completion path.
 */
public final class LeakDetectionExtension implements BeforeAllCallback, AfterAllCallback {

  private static final String STORE_KEY = "leakCapture";

  @Override
  public void beforeAll(ExtensionContext context) {
    context.getStore(ExtensionContext.Namespace.GLOBAL).put(STORE_KEY, attach());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    LogCapture capture = (LogCapture) context.getStore(ExtensionContext.Namespace.GLOBAL).remove(STORE_KEY);
    if (capture == null) {
      return;
    }
    List<String> leaks = detach(capture);
    if (!leaks.isEmpty()) {
      throw new AssertionError(leaks.size() + " Netty buffer leak(s) reported:\n" + leaks.get(0));
    }
  }

  /** Starts collecting the leak detector's reports (it logs them as errors). */
  static LogCapture attach() {
    return LogCapture.of(ResourceLeakDetector.class, Level.ERROR);
  }

  /** Makes Netty report what was leaked so far, stops collecting and returns the {@code LEAK:} reports. */
  static List<String> detach(LogCapture capture) {
    try {
      for (int round = 0; round < 5 && leaks(capture).isEmpty(); round++) {
        System.gc();
        provokeLeakReports();
      }
    } finally {
      capture.close();
    }
    return leaks(capture);
  }

  private static List<String> leaks(LogCapture capture) {
    return capture.messages().stream().filter(message -> message != null && message.contains("LEAK:")).toList();
  }

  /** Netty reports collected leaks when it tracks a new allocation. */
  private static void provokeLeakReports() {
    for (int i = 0; i < 64; i++) {
      release(PooledByteBufAllocator.DEFAULT.directBuffer(16));
      release(PooledByteBufAllocator.DEFAULT.heapBuffer(16));
      release(UnpooledByteBufAllocator.DEFAULT.directBuffer(16));
      release(UnpooledByteBufAllocator.DEFAULT.heapBuffer(16));
    }
  }

  private static void release(ByteBuf buf) {
    buf.release();
  }
}
