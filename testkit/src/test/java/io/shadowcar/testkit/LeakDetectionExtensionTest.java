package io.shadowcar.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;

class LeakDetectionExtensionTest {

  @Test
  void reportsABufferThatWasNeverReleased() {
    assertEquals(ResourceLeakDetector.Level.PARANOID, ResourceLeakDetector.getLevel(),
        "the build must run tests with -Dio.netty.leakDetection.level=paranoid");
    LogCapture appender = LeakDetectionExtension.attach();
    leakOne();
    assertFalse(LeakDetectionExtension.detach(appender).isEmpty(), "the leaked buffer was not reported");
  }

  @Test
  void staysQuietWhenEveryBufferIsReleased() {
    LogCapture appender = LeakDetectionExtension.attach();
    PooledByteBufAllocator.DEFAULT.directBuffer(64).writeInt(1).release();
    assertEquals(0, LeakDetectionExtension.detach(appender).size());
  }

  private static void leakOne() {
    ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(64);
    leaked.writeInt(42);
  }
}
