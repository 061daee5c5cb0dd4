package io.shadowcar.launcher.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Through the JVM's own logback context, as the launcher's {@code LogSetup} configured it, and Netty's logger. */
class TerminatedLoopRejectionFilterTest {

  private static final String NETTYS_MESSAGE = "Can't invoke task later as EventLoop rejected it";

  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final Logger channelLogger = context.getLogger(TerminatedLoopRejectionFilter.LOGGER);
  private final Level levelBefore = channelLogger.getLevel();
  private final boolean additiveBefore = channelLogger.isAdditive();
  private final ListAppender<ILoggingEvent> events = new ListAppender<>();

  {
    events.setContext(context);
    events.start();
    channelLogger.addAppender(events);
    channelLogger.setAdditive(false); // the warnings these tests make are theirs: kept out of the build's output
  }

  @AfterEach
  void detach() {
    channelLogger.detachAppender(events);
    channelLogger.setLevel(levelBefore);
    channelLogger.setAdditive(additiveBefore);
  }

  /** What a Netty event loop throws when handed a task after it terminated. */
  private static RejectedExecutionException terminatedLoopsRejection() throws InterruptedException {
    DefaultEventExecutor loop = new DefaultEventExecutor();
    loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    return assertThrows(RejectedExecutionException.class, () -> loop.execute(() -> { }));
  }

  private static void nettyWarns(String loggerName, Throwable cause) {
    InternalLogger netty = InternalLoggerFactory.getInstance(loggerName);
    netty.warn(NETTYS_MESSAGE, cause);
  }

  @Test
  void theLauncherInstallsTheFilter() {
    assertTrue(context.getTurboFilterList().stream().anyMatch(f -> f instanceof TerminatedLoopRejectionFilter),
        context.getTurboFilterList().toString());
  }

  @Test
  void aTaskRefusedByATerminatedLoopIsNotAWarning() throws Exception {
    nettyWarns(TerminatedLoopRejectionFilter.LOGGER, terminatedLoopsRejection());

    assertEquals(List.of(), events.list);
  }

  @Test
  void withNettyAtDebugItIsKeptAtDebugWithItsStackTrace() throws Exception {
    channelLogger.setLevel(Level.DEBUG);
    RejectedExecutionException rejection = terminatedLoopsRejection();

    nettyWarns(TerminatedLoopRejectionFilter.LOGGER, rejection);

    assertEquals(1, events.list.size(), events.list.toString());
    ILoggingEvent event = events.list.get(0);
    assertEquals(Level.DEBUG, event.getLevel());
    assertTrue(event.getFormattedMessage().startsWith(NETTYS_MESSAGE), event.getFormattedMessage());
    assertSame(rejection, ((ThrowableProxy) event.getThrowableProxy()).getThrowable());
  }

  @Test
  void otherRejectionsOtherCausesAndOtherLoggersStillWarn() {
    nettyWarns(TerminatedLoopRejectionFilter.LOGGER, new RejectedExecutionException("queue full"));
    nettyWarns(TerminatedLoopRejectionFilter.LOGGER, new IOException(TerminatedLoopRejectionFilter.TERMINATED));
    nettyWarns(TerminatedLoopRejectionFilter.LOGGER + ".Other",
        new RejectedExecutionException(TerminatedLoopRejectionFilter.TERMINATED));

    assertEquals(List.of(Level.WARN, Level.WARN, Level.WARN), events.list.stream().map(ILoggingEvent::getLevel).toList());
  }
}
