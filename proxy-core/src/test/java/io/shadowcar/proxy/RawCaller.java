package io.shadowcar.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** One raw TCP connection to the proxy, for callers that misbehave on purpose: slow, silent or half-sent. */
final class RawCaller implements AutoCloseable {

  private final Socket socket;

  RawCaller(int port) {
    try {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(20_000);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  RawCaller send(String text) {
    try {
      socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Everything the proxy sends until it closes the connection (a reset counts as a close). */
  String readToEnd() {
    ByteArrayOutputStream read = new ByteArrayOutputStream();
    try {
      InputStream in = socket.getInputStream();
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) > 0) {
        read.write(buf, 0, n);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the proxy neither answered nor closed; read so far: " + read, e);
    } catch (IOException e) {
      // reset by the proxy: what was read is the answer
    }
    return read.toString(StandardCharsets.ISO_8859_1);
  }

  /** Reads one response whose body has a Content-Length, leaving the connection open. */
  String readResponse() {
    try {
      String head = readHead();
      int length = 0;
      for (String line : head.split("\r\n")) {
        if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
          length = Integer.parseInt(line.substring(15).trim());
        }
      }
      return head + new String(socket.getInputStream().readNBytes(length), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A response with a chunked body, as read: its head, its data without the framing, and its trailer section. */
  record ChunkedResponse(String head, String data, String trailers) {}

  /** Reads one response with a chunked body, leaving the connection open. */
  ChunkedResponse readChunkedResponse() {
    String head = readHead();
    String data = readChunks(Integer.MAX_VALUE);
    try {
      StringBuilder trailers = new StringBuilder();
      for (String line = readLine("\r\n"); !line.equals("\r\n"); line = readLine("\r\n")) {
        trailers.append(line);
      }
      return new ChunkedResponse(head, data, trailers.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A response's head, up to and including the blank line that ends it. */
  String readHead() {
    try {
      return readLine("\r\n\r\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The next {@code length} bytes of a body with a Content-Length. */
  String readBytes(int length) {
    try {
      byte[] bytes = socket.getInputStream().readNBytes(length);
      if (bytes.length < length) {
        throw new AssertionError("closed after " + bytes.length + " of " + length + " bytes");
      }
      return new String(bytes, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The data of a chunked body's next whole chunks, without the framing, until at least {@code atLeast} bytes or the
   * last chunk (after which the trailer section is next).
   */
  String readChunks(int atLeast) {
    try {
      StringBuilder data = new StringBuilder();
      int size;
      while (data.length() < atLeast && (size = Integer.parseInt(readLine("\r\n").strip(), 16)) > 0) {
        String chunk = new String(socket.getInputStream().readNBytes(size + 2), StandardCharsets.ISO_8859_1);
        if (!chunk.endsWith("\r\n")) {
          throw new AssertionError("a chunk of " + size + " bytes not followed by CRLF: " + data + chunk);
        }
        data.append(chunk, 0, size);
      }
      return data.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The bytes up to and including {@code end}, one at a time (a test's responses are small). */
  private String readLine(String end) throws IOException {
    InputStream in = socket.getInputStream();
    StringBuilder line = new StringBuilder();
    while (!line.toString().endsWith(end)) {
      int b = in.read();
      if (b < 0) {
        throw new AssertionError("closed after: " + line);
      }
      line.append((char) b);
    }
    return line.toString();
  }

  /** Resets the connection (TCP RST, as a killed client's kernel or a balancer sends) instead of closing it. */
  void reset() {
    try {
      socket.setSoLinger(true, 0);
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
