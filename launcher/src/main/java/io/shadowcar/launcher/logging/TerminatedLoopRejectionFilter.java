package io.shadowcar.launcher.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Marker;

/**
 * Turns Netty's warning about a task its own terminated event loop refused into a DEBUG line.
 *
 * <p>When Vert.x closes, it closes its connections without waiting for their sockets to finish closing and then stops
 * its event loops at once. Netty's io_uring loop, destroying itself, may still receive the completion that lets a
 * closing connection finish; the channel then asks the loop to run its deregistration later, the terminated loop
 * refuses, and Netty logs {@code WARN io.netty.channel.AbstractChannel - Can't invoke task later as EventLoop rejected
 * it} with a stack trace. Nothing is lost: the socket is closed and the process is stopping (the sidecar drains its
 * requests before it closes Vert.x); only the channel's last pipeline events are not fired. A WARN with a stack trace
 * in the last lines of a clean stop would send an operator looking for a fault that is not there, so this filter logs
 * it again at DEBUG (kept when {@code io.netty} is set to DEBUG). Only that logger, that level and Netty's rejection by
 * a terminated executor match; every other warning passes as it is.
 */
public final class TerminatedLoopRejectionFilter extends TurboFilter {

  /** The logger of Netty's channel base class, which logs the refused task. */
  public static final String LOGGER = "io.netty.channel.AbstractChannel";

  /** The message of the exception Netty's single-thread executors throw once terminated. */
  static final String TERMINATED = "event executor terminated";

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (level != Level.WARN || !(t instanceof RejectedExecutionException) || !TERMINATED.equals(t.getMessage())
        || !LOGGER.equals(logger.getName())) {
      return FilterReply.NEUTRAL;
    }
    // the DEBUG call comes through this filter again and is NEUTRAL there (not WARN)
    logger.debug(marker, "{} (an event loop that had already stopped, at shutdown)", format, t);
    return FilterReply.DENY;
  }
}
