package io.shadowcar.launcher.logging;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import io.shadowcar.common.text.OneLine;

/**
 * {@code %oneLineEx} in a text log pattern: logback's stack trace, one line per frame as usual, with each exception's
 * message (and its causes' and suppressed exceptions') on one line ({@link OneLine}). An exception's message can quote
 * what a peer sent (Vert.x's header check quotes the refused value), and a line break in it would otherwise start a
 * line that looks like the sidecar's own, as {@link OneLineMessageConverter} prevents for the message itself.
 */
public final class OneLineThrowableConverter extends ThrowableProxyConverter {

  /** The name the text patterns use. */
  public static final String NAME = "oneLineEx";

  @Override
  protected String throwableProxyToString(IThrowableProxy throwable) {
    return super.throwableProxyToString(new OneLineMessages(throwable));
  }

  /** The same exception, cause and suppressed exceptions, their messages escaped. */
  private record OneLineMessages(IThrowableProxy inner) implements IThrowableProxy {

    private static IThrowableProxy wrap(IThrowableProxy proxy) {
      return proxy == null ? null : new OneLineMessages(proxy);
    }

    @Override
    public String getOverridingMessage() {
      return OneLine.of(inner.getOverridingMessage());
    }

    @Override
    public String getMessage() {
      return OneLine.of(inner.getMessage());
    }

    @Override
    public String getClassName() {
      return inner.getClassName();
    }

    @Override
    public StackTraceElementProxy[] getStackTraceElementProxyArray() {
      return inner.getStackTraceElementProxyArray();
    }

    @Override
    public int getCommonFrames() {
      return inner.getCommonFrames();
    }

    @Override
    public IThrowableProxy getCause() {
      return wrap(inner.getCause());
    }

    @Override
    public IThrowableProxy[] getSuppressed() {
      IThrowableProxy[] suppressed = inner.getSuppressed();
      if (suppressed == null) {
        return null;
      }
      IThrowableProxy[] out = new IThrowableProxy[suppressed.length];
      for (int i = 0; i < out.length; i++) {
        out[i] = wrap(suppressed[i]);
      }
      return out;
    }

    @Override
    public boolean isCyclic() {
      return inner.isCyclic();
    }
  }
}
