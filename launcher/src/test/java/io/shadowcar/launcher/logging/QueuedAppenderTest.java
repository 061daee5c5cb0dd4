package io.shadowcar.launcher.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class QueuedAppenderTest {

  private static final long WAIT_SECONDS = 10;

  /** Records what it is given and on which thread; holds every write while its gate is closed. */
  private static final class RecordingAppender extends AppenderBase<ILoggingEvent> {
    final List<String> messages = new CopyOnWriteArrayList<>();
    final List<String> loggingThreads = new CopyOnWriteArrayList<>();
    final List<String> writingThreads = new CopyOnWriteArrayList<>();
    final CountDownLatch gate;

    RecordingAppender(boolean open) {
      gate = new CountDownLatch(open ? 0 : 1);
    }

    @Override
    protected void append(ILoggingEvent event) {
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      messages.add(event.getFormattedMessage());
      loggingThreads.add(event.getThreadName());
      writingThreads.add(Thread.currentThread().getName());
    }
  }

  private final LoggerContext context = new LoggerContext();

  {
    context.setMDCAdapter(new LogbackMDCAdapter()); // what logback's provider gives the context of a running JVM
  }

  private QueuedAppender queued(RecordingAppender target, int capacity) {
    target.setContext(context);
    QueuedAppender appender = new QueuedAppender(target, capacity);
    appender.setContext(context);
    appender.setName("test");
    appender.start();
    return appender;
  }

  private ILoggingEvent event(String message, Object... arguments) {
    return new LoggingEvent(getClass().getName(), context.getLogger("shadowcar.access"), Level.INFO, message, null,
        arguments);
  }

  private static void awaitCount(List<String> list, int count) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (list.size() < count) {
      assertTrue(System.nanoTime() < deadline, "written " + list.size() + " of " + count);
      Thread.onSpinWait();
    }
  }

  @Test
  void writesEveryLineInOrderOnItsOwnThreadWithTheLoggingThreadsNameAndMessage() {
    RecordingAppender target = new RecordingAppender(true);
    QueuedAppender appender = queued(target, 100);
    for (int i = 0; i < 50; i++) {
      appender.doAppend(event("GET /{} 200", i));
    }
    awaitCount(target.messages, 50);
    for (int i = 0; i < 50; i++) {
      assertEquals("GET /" + i + " 200", target.messages.get(i));
    }
    String caller = Thread.currentThread().getName();
    assertTrue(target.loggingThreads.stream().allMatch(caller::equals), target.loggingThreads.toString());
    assertTrue(target.writingThreads.stream().allMatch("shadowcar-log-test"::equals),
        target.writingThreads.toString());
    assertEquals(0, appender.dropped());
    appender.stop();
  }

  @Test
  void dropsAndCountsWhatExceedsTheCapacityAndWritesTheRestOnceTheTargetMovesAgain() {
    RecordingAppender target = new RecordingAppender(false);
    QueuedAppender appender = queued(target, 10);
    for (int i = 0; i < 25; i++) {
      appender.doAppend(event("line {}", i));
    }
    assertEquals(15, appender.dropped(), "10 wait (one of them held in the target), 15 dropped");
    target.gate.countDown();
    awaitCount(target.messages, 10);
    assertEquals(List.of("line 0", "line 1", "line 2", "line 3", "line 4", "line 5", "line 6", "line 7", "line 8",
        "line 9"), target.messages);
    appender.doAppend(event("after"));
    awaitCount(target.messages, 11);
    assertEquals("after", target.messages.get(10));
    appender.stop();
  }

  @Test
  void stopWritesWhatIsWaitingThenStopsTheTarget() {
    RecordingAppender target = new RecordingAppender(true);
    QueuedAppender appender = queued(target, 1000);
    for (int i = 0; i < 500; i++) {
      appender.doAppend(event("line {}", i));
    }
    appender.stop();
    assertEquals(500, target.messages.size(), "every waiting line written before stop returned");
    assertFalse(target.isStarted());
    appender.doAppend(event("late"));
    assertEquals(500, target.messages.size(), "nothing written after the stop");
  }
}
