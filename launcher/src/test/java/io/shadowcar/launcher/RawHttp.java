package io.shadowcar.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 request over a raw socket to 127.0.0.1, with exactly the headers given ({@code Host} included, which
 * {@link java.net.http.HttpClient} will not let a test choose): what a browser or an attacker would send.
 */
public final class RawHttp {

  private RawHttp() {}

  /** The whole answer (status line, headers, body) of one request; the connection closes after it. */
  public static String call(int port, String method, String path, String host, String... headers) {
    StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\n");
    for (String header : headers) {
      request.append(header).append("\r\n");
    }
    request.append(method.equals("GET") ? "" : "Content-Length: 0\r\n").append("Connection: close\r\n\r\n");
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream read = new ByteArrayOutputStream();
      in.transferTo(read);
      return read.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static int status(String answer) {
    return Integer.parseInt(answer.substring(9, 12));
  }

  public static String body(String answer) {
    return answer.substring(answer.indexOf("\r\n\r\n") + 4);
  }
}
