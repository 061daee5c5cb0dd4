package io.shadowcar.testkit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

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

  private static final String DETECTOR_LOGGER = "io.netty.util.ResourceLeakDetector";
  private static final String STORE_KEY = "leakAppender";

  /** Keeps the {@code LEAK:} lines logged while the appender is attached. */
  static final class LeakAppender extends AppenderBase<ILoggingEvent> {
    final List<String> leaks = new CopyOnWriteArrayList<>();

    @Override
    protected void append(ILoggingEvent event) {
      String message = event.getFormattedMessage();
      if (message != null && message.contains("LEAK:")) {
        leaks.add(message);
      }
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    context.getStore(ExtensionContext.Namespace.GLOBAL).put(STORE_KEY, attach());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    LeakAppender appender = (LeakAppender) context.getStore(ExtensionContext.Namespace.GLOBAL).remove(STORE_KEY);
    if (appender == null) {
      return;
    }
    List<String> leaks = detach(appender);
    if (!leaks.isEmpty()) {
      throw new AssertionError(leaks.size() + " Netty buffer leak(s) reported:\n" + leaks.get(0));
    }
  }

  /** Starts collecting {@code LEAK:} reports. */
  static LeakAppender attach() {
    LeakAppender appender = new LeakAppender();
    appender.setName("netty-leaks");
    appender.start();
    ((Logger) LoggerFactory.getLogger(DETECTOR_LOGGER)).addAppender(appender);
    return appender;
  }

  /** Makes Netty report what was leaked so far, stops collecting and returns the reports. */
  static List<String> detach(LeakAppender appender) {
    try {
      for (int round = 0; round < 5 && appender.leaks.isEmpty(); round++) {
        System.gc();
        provokeLeakReports();
      }
    } finally {
      ((Logger) LoggerFactory.getLogger(DETECTOR_LOGGER)).detachAppender(appender);
      appender.stop();
    }
    return List.copyOf(appender.leaks);
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
