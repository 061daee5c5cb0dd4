package io.shadowcar.common.grpc;

import java.util.ArrayList;
import java.util.List;

/**
 * gRPC's wire format as far as shadowcar reads it (gRPC over HTTP/2): the content type that marks a call, the
 * trailer fields that carry its status, and the length-prefixed messages of a body (one flag byte, 1 = compressed,
 * a 4-byte big-endian length, the message bytes). Pure.
 */
public final class GrpcWire {

  public static final String CONTENT_TYPE = "application/grpc";
  public static final String STATUS = "grpc-status";
  public static final String MESSAGE = "grpc-message";
  /** Bytes before each message: the compressed flag and the length. */
  public static final int PREFIX_BYTES = 5;

  /** One message of a body, its bytes as sent (still compressed when {@code compressed}). */
  public record Message(boolean compressed, byte[] bytes) {}

  private GrpcWire() {}

  /**
   * True for a gRPC content type ({@code application/grpc}, {@code application/grpc+proto}, with or without
   * parameters); false for gRPC-Web ({@code application/grpc-web...}), which is HTTP/1.1-compatible traffic.
   */
  public static boolean isGrpc(String contentType) {
    if (contentType == null || !contentType.regionMatches(true, 0, CONTENT_TYPE, 0, CONTENT_TYPE.length())) {
      return false;
    }
    if (contentType.length() == CONTENT_TYPE.length()) {
      return true;
    }
    char next = contentType.charAt(CONTENT_TYPE.length());
    return next == '+' || next == ';' || next == ' ';
  }

  /**
   * The messages of a whole body, in order; {@code null} when the bytes are not a sequence of whole length-prefixed
   * messages (cut short, or not gRPC at all).
   */
  public static List<Message> messages(byte[] body) {
    List<Message> out = new ArrayList<>();
    int i = 0;
    while (i < body.length) {
      if (body.length - i < PREFIX_BYTES) {
        return null;
      }
      long length = ((body[i + 1] & 0xffL) << 24) | ((body[i + 2] & 0xff) << 16) | ((body[i + 3] & 0xff) << 8)
          | (body[i + 4] & 0xff);
      if (length > body.length - i - PREFIX_BYTES) {
        return null;
      }
      byte[] bytes = new byte[(int) length];
      System.arraycopy(body, i + PREFIX_BYTES, bytes, 0, bytes.length);
      out.add(new Message(body[i] != 0, bytes));
      i += PREFIX_BYTES + bytes.length;
    }
    return out;
  }
}
