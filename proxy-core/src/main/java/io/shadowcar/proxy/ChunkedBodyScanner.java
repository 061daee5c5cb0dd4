package io.shadowcar.proxy;

import io.netty.buffer.ByteBuf;

/**
 * Checks a chunked request body against RFC 9112 §7.1, byte by byte, before Netty's decoder reads it: chunk sizes
 * are hex digits without whitespace and fit in 31 bits (Netty reads {@code 10000000000000005} as 5), extensions
 * follow the {@code ;name[=token|"quoted"]} grammar and the whole chunk line is bounded, every line ends in CRLF
 * (no bare CR or LF), chunk data is followed by CRLF, and the trailer section has well-formed, unfolded fields and
 * is bounded. A trailer field that {@link TrailerRules} forbids fails the body too ({@link #forbiddenTrailer()}):
 * Netty's decoder would drop some of them silently and pass the others on.
 *
 * <p>Valid extensions are dropped by overwriting them with spaces in place: they mean nothing to the proxy, and
 * Netty 4.2's own extension check refuses valid ones ({@code 5;foo=bar}) by failing the connection without an
 * answer.
 *
 * <p>One instance per body; feed it the body's bytes in order. Event-loop confined.
 */
final class ChunkedBodyScanner {

  private enum State {
    SIZE_FIRST, SIZE, SIZE_SPACE, EXT_BEFORE_NAME, EXT_NAME, EXT_AFTER_NAME, EXT_BEFORE_VALUE, EXT_TOKEN, EXT_QUOTED,
    EXT_QUOTED_PAIR, EXT_AFTER_VALUE, LINE_LF, DATA, DATA_CR, DATA_LF, TRAILER_START, TRAILER_NAME, TRAILER_VALUE,
    TRAILER_LF, FINAL_LF,
    DONE, FAILED
  }

  private static final long MAX_CHUNK_SIZE = Integer.MAX_VALUE;

  private final int maxLineBytes;
  private final int maxTrailerBytes;
  private State state = State.SIZE_FIRST;
  private long size;
  private long remaining;
  private int lineBytes;
  private int trailerBytes;
  /** The name of the trailer field being read; {@code null} outside trailer names. */
  private StringBuilder trailerName;
  private boolean forbiddenTrailer;

  /**
   * @param maxLineBytes longest chunk line (size and extensions, without CRLF)
   * @param maxTrailerBytes largest trailer section
   */
  ChunkedBodyScanner(int maxLineBytes, int maxTrailerBytes) {
    this.maxLineBytes = maxLineBytes;
    this.maxTrailerBytes = maxTrailerBytes;
  }

  boolean done() {
    return state == State.DONE;
  }

  boolean failed() {
    return state == State.FAILED;
  }

  /** True when the body failed on a trailer field that must not be one (the failure is not one of syntax). */
  boolean forbiddenTrailer() {
    return forbiddenTrailer;
  }

  /**
   * Scans {@code buf} from index {@code from} (inclusive) to {@code to} (exclusive) and returns the index it stopped
   * at: {@code to}, or the index just after the body when it ended earlier. Check {@link #failed()} after.
   */
  int scan(ByteBuf buf, int from, int to) {
    int i = from;
    while (i < to && state != State.DONE && state != State.FAILED) {
      if (state == State.DATA) {
        int n = (int) Math.min(remaining, to - i);
        remaining -= n;
        i += n;
        if (remaining == 0) {
          state = State.DATA_CR;
        }
        continue;
      }
      state = next(buf.getByte(i) & 0xff);
      if (state.compareTo(State.SIZE_SPACE) >= 0 && state.compareTo(State.EXT_AFTER_VALUE) <= 0) {
        buf.setByte(i, ' ');
      }
      i++;
    }
    return i;
  }

  private State next(int b) {
    switch (state) {
      case SIZE_FIRST:
      case SIZE:
        int digit = Character.digit(b, 16);
        if (digit >= 0 && b < 0x80) {
          size = size * 16 + digit;
          return size > MAX_CHUNK_SIZE ? State.FAILED : line(State.SIZE);
        }
        if (state == State.SIZE_FIRST) {
          return State.FAILED;
        }
        return b == ';' ? line(State.EXT_BEFORE_NAME) : isBlank(b) ? line(State.SIZE_SPACE) : endOfLine(b);
      case SIZE_SPACE:
        return isBlank(b) ? line(State.SIZE_SPACE) : b == ';' ? line(State.EXT_BEFORE_NAME) : State.FAILED;
      case EXT_BEFORE_NAME:
        return isBlank(b) ? line(state) : isTchar(b) ? line(State.EXT_NAME) : State.FAILED;
      case EXT_NAME:
        if (isTchar(b)) {
          return line(state);
        }
        return isBlank(b) ? line(State.EXT_AFTER_NAME) : afterItem(b, true);
      case EXT_AFTER_NAME:
        return isBlank(b) ? line(state) : afterItem(b, true);
      case EXT_BEFORE_VALUE:
        return isBlank(b) ? line(state) : b == '"' ? line(State.EXT_QUOTED)
            : isTchar(b) ? line(State.EXT_TOKEN) : State.FAILED;
      case EXT_TOKEN:
        if (isTchar(b)) {
          return line(state);
        }
        return isBlank(b) ? line(State.EXT_AFTER_VALUE) : afterItem(b, false);
      case EXT_QUOTED:
        return b == '"' ? line(State.EXT_AFTER_VALUE) : b == '\\' ? line(State.EXT_QUOTED_PAIR)
            : isQdtext(b) ? line(state) : State.FAILED;
      case EXT_QUOTED_PAIR:
        return isQdtext(b) || b == '"' || b == '\\' ? line(State.EXT_QUOTED) : State.FAILED;
      case EXT_AFTER_VALUE:
        return isBlank(b) ? line(state) : afterItem(b, false);
      case LINE_LF:
        if (b != '\n') {
          return State.FAILED;
        }
        lineBytes = 0;
        if (size == 0) {
          return State.TRAILER_START;
        }
        remaining = size;
        size = 0;
        return State.DATA;
      case DATA_CR:
        return b == '\r' ? State.DATA_LF : State.FAILED;
      case DATA_LF:
        return b == '\n' ? State.SIZE_FIRST : State.FAILED;
      case TRAILER_START:
        if (b == '\r') {
          return State.FINAL_LF;
        }
        // a line starting with whitespace would be an obsolete fold
        if (!isTchar(b)) {
          return State.FAILED;
        }
        trailerName = new StringBuilder().append((char) b);
        return trailer(State.TRAILER_NAME);
      case TRAILER_NAME:
        if (isTchar(b)) {
          trailerName.append((char) b);
          return trailer(state);
        }
        return b == ':' ? endOfTrailerName() : State.FAILED;
      case TRAILER_VALUE:
        return b == '\r' ? trailer(State.TRAILER_LF) : isQdtext(b) || b == '"' || b == '\\' ? trailer(state)
            : State.FAILED;
      case TRAILER_LF:
        return b == '\n' ? trailer(State.TRAILER_START) : State.FAILED;
      case FINAL_LF:
        return b == '\n' ? State.DONE : State.FAILED;
      default:
        return State.FAILED;
    }
  }

  /** The colon after a trailer field's name: its value follows, unless the name is one a trailer must not have. */
  private State endOfTrailerName() {
    forbiddenTrailer = TrailerRules.forbidden(trailerName);
    trailerName = null;
    return forbiddenTrailer ? State.FAILED : trailer(State.TRAILER_VALUE);
  }

  /** After an extension name ({@code '='} allowed) or value: another extension, or the end of the line. */
  private State afterItem(int b, boolean valueMayFollow) {
    if (b == ';') {
      return line(State.EXT_BEFORE_NAME);
    }
    if (b == '=' && valueMayFollow) {
      return line(State.EXT_BEFORE_VALUE);
    }
    return endOfLine(b);
  }

  private State endOfLine(int b) {
    return b == '\r' ? State.LINE_LF : State.FAILED;
  }

  private State line(State next) {
    return ++lineBytes > maxLineBytes ? State.FAILED : next;
  }

  private State trailer(State next) {
    return ++trailerBytes > maxTrailerBytes ? State.FAILED : next;
  }

  private static boolean isBlank(int b) {
    return b == ' ' || b == '\t';
  }

  /** RFC 9110 token characters. */
  static boolean isTchar(int b) {
    if (b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9') {
      return true;
    }
    return b < 0x80 && "!#$%&'*+-.^_`|~".indexOf(b) >= 0;
  }

  private static boolean isQdtext(int b) {
    return b == '\t' || b == ' ' || b == 0x21 || (b >= 0x23 && b <= 0x5b) || (b >= 0x5d && b <= 0x7e) || b >= 0x80;
  }
}
