package io.shadowcar.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Descriptors.Descriptor;
import io.shadowcar.common.grpc.GrpcWire;
import java.util.Arrays;
import java.util.List;

/**
 * Compares two gRPC response bodies message by message: each side is split into its length-prefixed messages,
 * compared position by position ({@code body.messages[i]}); a side with fewer messages shows the rest as missing or
 * extra. With the method's response type from a {@link GrpcSchema}, two uncompressed messages are decoded and
 * compared field by field ({@code body.messages[0].items[2].price}); otherwise, or when one does not decode, by
 * their raw bytes. The call's status ({@code grpc-status}, {@code grpc-message}) travels
 * in the trailers, which the captures keep with the headers, so it is compared as a header.
 */
final class GrpcComparer {

  private GrpcComparer() {}

  /**
   * Compares {@code a} (primary) with {@code b}; {@code false}, having added nothing, when either side is not a
   * sequence of whole messages (e.g. a capture cut at its byte cap), for the caller to compare the bytes instead.
   */
  static boolean compare(byte[] a, byte[] b, Descriptor type, JsonComparer fields, DiffCollector out) {
    List<GrpcWire.Message> ma = GrpcWire.messages(a);
    List<GrpcWire.Message> mb = GrpcWire.messages(b);
    if (ma == null || mb == null) {
      return false;
    }
    int common = Math.min(ma.size(), mb.size());
    for (int i = 0; i < common; i++) {
      GrpcWire.Message x = ma.get(i);
      GrpcWire.Message y = mb.get(i);
      if (x.compressed() == y.compressed() && Arrays.equals(x.bytes(), y.bytes())) {
        continue;
      }
      JsonNode tx = type == null || x.compressed() ? null : ProtoTrees.parse(type, x.bytes());
      JsonNode ty = tx == null || y.compressed() ? null : ProtoTrees.parse(type, y.bytes());
      if (ty != null) {
        fields.compare(path(i), tx, ty);
      } else {
        out.add(path(i), DifferenceKind.VALUE_CHANGED, summary(x), summary(y));
      }
    }
    for (int i = common; i < ma.size(); i++) {
      out.add(path(i), DifferenceKind.MISSING, summary(ma.get(i)), null);
    }
    for (int i = common; i < mb.size(); i++) {
      out.add(path(i), DifferenceKind.EXTRA, null, summary(mb.get(i)));
    }
    return true;
  }

  private static String path(int index) {
    return "body.messages[" + index + "]";
  }

  private static String summary(GrpcWire.Message message) {
    String bytes = BodyComparer.binarySummary(message.bytes());
    return message.compressed() ? "compressed " + bytes : bytes;
  }
}
