package io.shadowcar.diff;

import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/** Histograms to and from bytes, in HdrHistogram's compressed encoding, for a store. */
public final class HistogramCodec {

  private HistogramCodec() {
  }

  public static byte[] encode(Histogram histogram) {
    ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
    int length = histogram.encodeIntoCompressedByteBuffer(buffer);
    byte[] out = new byte[length];
    buffer.flip();
    buffer.get(out);
    return out;
  }

  /** @throws IllegalArgumentException when the bytes are not a compressed histogram */
  public static Histogram decode(byte[] bytes) {
    try {
      Histogram h = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(bytes), 0);
      h.setAutoResize(true);
      return h;
    } catch (DataFormatException | RuntimeException e) {
      throw new IllegalArgumentException("histogram: " + bytes.length + " bytes (expected: a compressed histogram)",
          e);
    }
  }
}
