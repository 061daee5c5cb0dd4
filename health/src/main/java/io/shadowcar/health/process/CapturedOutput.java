package io.shadowcar.health.process;

import java.nio.charset.StandardCharsets;

/**
 * A bounded byte sink that keeps the LAST {@code capacity} bytes written (the end of a script's output is where the
 * error usually is) and counts all of them. Thread-safe. Not for payloads that must be kept whole.
 */
public final class CapturedOutput {

  /** 4 KiB, Consul's default output cap. */
  public static final int DEFAULT_CAPACITY = 4096;

  private final byte[] ring;
  private long total;

  public CapturedOutput(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity: " + capacity + " (expected: > 0)");
    }
    this.ring = new byte[capacity];
  }

  public synchronized void write(byte[] bytes, int offset, int length) {
    int capacity = ring.length;
    if (length >= capacity) {
      System.arraycopy(bytes, offset + length - capacity, ring, 0, capacity);
      total += length;
      // Normalise so the ring starts at 0: position = total % capacity must point at the oldest byte.
      rotateToPosition();
      return;
    }
    int pos = (int) (total % capacity);
    int first = Math.min(length, capacity - pos);
    System.arraycopy(bytes, offset, ring, pos, first);
    System.arraycopy(bytes, offset + first, ring, 0, length - first);
    total += length;
  }

  private void rotateToPosition() {
    // ring currently holds the last `capacity` bytes in order from index 0; move them so the oldest sits at pos.
    int capacity = ring.length;
    int pos = (int) (total % capacity);
    if (pos == 0) {
      return;
    }
    byte[] ordered = ring.clone();
    for (int i = 0; i < capacity; i++) {
      ring[(pos + i) % capacity] = ordered[i];
    }
  }

  public void write(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    write(bytes, 0, bytes.length);
  }

  /** Bytes written so far, kept or not. */
  public synchronized long total() {
    return total;
  }

  /** The kept bytes as text, prefixed {@code "Captured X of Y bytes\n"} when some were dropped. */
  @Override
  public synchronized String toString() {
    int capacity = ring.length;
    if (total <= capacity) {
      return new String(ring, 0, (int) total, StandardCharsets.UTF_8);
    }
    int pos = (int) (total % capacity);
    byte[] ordered = new byte[capacity];
    System.arraycopy(ring, pos, ordered, 0, capacity - pos);
    System.arraycopy(ring, 0, ordered, capacity - pos, pos);
    return "Captured " + capacity + " of " + total + " bytes\n" + new String(ordered, StandardCharsets.UTF_8);
  }
}
