package io.shadowcar.tee;

import io.vertx.core.MultiMap;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * An immutable header list (name/value pairs in order, repeated names kept) stored as one string of every name and
 * value and one array of where each ends: four objects whatever the count, where a list of entries is three objects
 * per header (the entry and its two strings). A copy in flight keeps two such lists (its request's and the primary's
 * answer's) until the shadow answers, a second or more before a slow one, and every young collection copies what it
 * keeps; read back, an entry is made on each {@link #get}, which only the sinks, the diff and the store do, once.
 */
public final class PackedHeaders extends AbstractList<Map.Entry<String, String>> implements RandomAccess {

  private static final PackedHeaders EMPTY = new PackedHeaders("", new int[0]);

  /** Every name and value, one after the other. */
  private final String text;
  /** Where each name and value ends in {@link #text}: {@code 2 * size()} offsets, ascending. */
  private final int[] ends;

  private PackedHeaders(String text, int[] ends) {
    this.text = text;
    this.ends = ends;
  }

  /** The list itself when already packed, else a packed copy; {@code null} names or values throw as in a list. */
  public static PackedHeaders of(List<Map.Entry<String, String>> headers) {
    if (headers instanceof PackedHeaders packed) {
      return packed;
    }
    Builder builder = new Builder(headers.size());
    for (Map.Entry<String, String> header : headers) {
      builder.add(header.getKey(), header.getValue());
    }
    return builder.build();
  }

  /** A packed copy of a Vert.x header map, keeping order and repeated names. */
  public static PackedHeaders of(MultiMap headers) {
    Builder builder = new Builder(8);
    for (Map.Entry<String, String> header : headers) {
      builder.add(header.getKey(), header.getValue());
    }
    return builder.build();
  }

  /** This list followed by {@code more}. */
  public PackedHeaders concat(List<Map.Entry<String, String>> more) {
    if (more.isEmpty()) {
      return this;
    }
    Builder builder = new Builder(size() + more.size());
    for (int i = 0; i < size(); i++) {
      builder.add(name(i), value(i));
    }
    for (Map.Entry<String, String> header : more) {
      builder.add(header.getKey(), header.getValue());
    }
    return builder.build();
  }

  @Override
  public Map.Entry<String, String> get(int index) {
    Objects.checkIndex(index, size());
    return Map.entry(name(index), value(index));
  }

  @Override
  public int size() {
    return ends.length >> 1;
  }

  /** First value of a header, case-insensitive, or {@code null}; reads the names in place. */
  public String first(String name) {
    for (int i = 0; i < size(); i++) {
      int start = start(2 * i);
      int length = ends[2 * i] - start;
      if (length == name.length() && text.regionMatches(true, start, name, 0, length)) {
        return value(i);
      }
    }
    return null;
  }

  private String name(int index) {
    return text.substring(start(2 * index), ends[2 * index]);
  }

  private String value(int index) {
    return text.substring(ends[2 * index], ends[2 * index + 1]);
  }

  private int start(int slot) {
    return slot == 0 ? 0 : ends[slot - 1];
  }

  /** Collects headers in order; {@link #build} packs them. */
  public static final class Builder {
    private final StringBuilder text = new StringBuilder(256);
    private int[] ends;
    private int slots;

    /** @param expected how many headers to expect (the builder grows past it) */
    public Builder(int expected) {
      this.ends = new int[Math.max(2, 2 * expected)];
    }

    public Builder add(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      if (slots + 2 > ends.length) {
        ends = Arrays.copyOf(ends, ends.length * 2);
      }
      text.append(name);
      ends[slots++] = text.length();
      text.append(value);
      ends[slots++] = text.length();
      return this;
    }

    public PackedHeaders build() {
      if (slots == 0) {
        return EMPTY;
      }
      return new PackedHeaders(text.toString(), slots == ends.length ? ends : Arrays.copyOf(ends, slots));
    }
  }
}
