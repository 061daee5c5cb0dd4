package io.shadowcar.diff;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.Descriptor;
import io.shadowcar.common.grpc.GrpcWire;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/** Chooses how to compare two bodies (from the content type) and compares them. */
final class BodyComparer {

  private static final ObjectReader JSON = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
      .build()
      .readerFor(JsonNode.class);

  private final BigDecimal absoluteTolerance;
  private final BigDecimal relativeTolerance;
  private final int maxLineDiffs;

  BodyComparer(DiffConfig config) {
    this.absoluteTolerance = BigDecimal.valueOf(config.absoluteTolerance());
    this.relativeTolerance = BigDecimal.valueOf(config.relativeTolerance());
    this.maxLineDiffs = config.maxLineDiffs();
  }

  /** Remembers the last JSON tree parsed from a body array, so the primary is parsed once per exchange. */
  static final class ParsedBody {
    private byte[] bytes;
    private JsonNode tree;
  }

  /** @param grpcType the response type of the gRPC method called, for field-level comparison; null for none */
  void compare(Response.Answer primary, Response.Answer candidate, DiffCollector out, ParsedBody primaryTree,
      Descriptor grpcType) {
    String contentType = primary.header("content-type");
    if (contentType == null) {
      contentType = candidate.header("content-type");
    }
    byte[] a = primary.body();
    byte[] b = candidate.body();
    boolean truncated = primary.truncated() || candidate.truncated();
    out.truncated = truncated;
    if (truncated) {
      lengthEvidence(primary, candidate, out);
      int cut = Math.min(a.length, b.length);
      a = Arrays.copyOf(a, cut);
      b = Arrays.copyOf(b, cut);
    }
    BodyMode mode = modeOf(contentType, a.length > 0 ? a : b);
    Charset charset = charsetOf(contentType);
    out.bodyMode = a.length == 0 && b.length == 0 ? BodyMode.EMPTY : mode;
    if (a.length == 0 || b.length == 0) {
      if (a.length != b.length) {
        out.add("body", a.length == 0 ? DifferenceKind.EXTRA : DifferenceKind.MISSING,
            a.length == 0 ? null : summary(mode, a, charset), b.length == 0 ? null : summary(mode, b, charset));
      }
      return;
    }
    switch (mode) {
      case JSON -> json(a, b, charset, truncated, out, primaryTree);
      case FORM -> new JsonComparer(out, absoluteTolerance, relativeTolerance)
          .compare("body.form", form(a, charset), form(b, charset));
      case TEXT -> lines(a, b, charset, out);
      case GRPC -> {
        if (!GrpcComparer.compare(a, b, grpcType, new JsonComparer(out, absoluteTolerance, relativeTolerance), out)) {
          out.bodyMode = BodyMode.BINARY;
          binary(a, b, out);
        }
      }
      default -> binary(a, b, out);
    }
  }

  /** A complete body shorter than the other side's truncated capture differs whatever the common prefix says. */
  private static void lengthEvidence(Response.Answer primary, Response.Answer candidate, DiffCollector out) {
    int a = primary.body().length;
    int b = candidate.body().length;
    if (!primary.truncated() && a < b) {
      out.add("body.length", DifferenceKind.VALUE_CHANGED, Integer.toString(a), ">=" + b);
    } else if (!candidate.truncated() && b < a) {
      out.add("body.length", DifferenceKind.VALUE_CHANGED, ">=" + a, Integer.toString(b));
    }
  }

  private void json(byte[] a, byte[] b, Charset charset, boolean truncated, DiffCollector out, ParsedBody cache) {
    JsonNode ta;
    if (cache.bytes == a) {
      ta = cache.tree;
    } else {
      ta = parse(a, charset);
      cache.bytes = a;
      cache.tree = ta;
    }
    if (ta != null && Arrays.equals(a, b)) {
      // the same bytes parse to the same tree, which differs from itself nowhere: most candidates answer most
      // requests byte for byte, and the second parse and the walk were a fifth of the diff thread's time
      return;
    }
    JsonNode tb = ta == null ? null : parse(b, charset);
    if (ta != null && tb != null) {
      new JsonComparer(out, absoluteTolerance, relativeTolerance).compare("body", ta, tb);
      return;
    }
    out.bodyMode = truncated ? BodyMode.TEXT : BodyMode.INVALID_JSON;
    lines(a, b, charset, out);
  }

  private static JsonNode parse(byte[] body, Charset charset) {
    try {
      return charset.equals(StandardCharsets.UTF_8) ? JSON.readTree(body) : JSON.readTree(new String(body, charset));
    } catch (JacksonException e) {
      return null;
    } catch (IOException e) {
      throw new IllegalStateException("reading a byte array failed", e);
    }
  }

  /** Positional line comparison; every differing line counts, the first {@code maxLineDiffs} are listed. */
  private void lines(byte[] a, byte[] b, Charset charset, DiffCollector out) {
    if (Arrays.equals(a, b)) {
      return;
    }
    List<String> la = splitLines(new String(a, charset));
    List<String> lb = splitLines(new String(b, charset));
    int count = 0;
    for (int i = 0; i < Math.max(la.size(), lb.size()); i++) {
      String x = i < la.size() ? la.get(i) : null;
      String y = i < lb.size() ? lb.get(i) : null;
      if (x != null && x.equals(y)) {
        continue;
      }
      if (count++ < maxLineDiffs) {
        DifferenceKind kind = x == null ? DifferenceKind.EXTRA
            : y == null ? DifferenceKind.MISSING : DifferenceKind.VALUE_CHANGED;
        out.add("body.line[" + (i + 1) + "]", kind, x == null ? null : DiffCollector.quote(x),
            y == null ? null : DiffCollector.quote(y));
      }
    }
    out.differingLines = count;
  }

  static List<String> splitLines(String text) {
    List<String> lines = new ArrayList<>();
    int start = 0;
    while (true) {
      int nl = text.indexOf('\n', start);
      int end = nl < 0 ? text.length() : nl;
      int cut = end > start && text.charAt(end - 1) == '\r' ? end - 1 : end;
      lines.add(text.substring(start, cut));
      if (nl < 0) {
        return lines;
      }
      start = nl + 1;
    }
  }

  private static void binary(byte[] a, byte[] b, DiffCollector out) {
    if (!Arrays.equals(a, b)) {
      out.add("body", DifferenceKind.VALUE_CHANGED, binarySummary(a), binarySummary(b));
    }
  }

  private static String summary(BodyMode mode, byte[] body, Charset charset) {
    return switch (mode) {
      case BINARY, GRPC -> binarySummary(body);
      case JSON -> new String(body, charset);
      default -> DiffCollector.quote(new String(body, charset));
    };
  }

  static String binarySummary(byte[] body) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(body);
      return body.length + " bytes sha256:" + HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** Decoded form fields as a JSON object: one value as a string, a repeated key as an array in order. */
  static ObjectNode form(byte[] body, Charset charset) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    String text = new String(body, charset);
    int start = 0;
    while (start <= text.length()) {
      int amp = text.indexOf('&', start);
      int end = amp < 0 ? text.length() : amp;
      if (end > start) {
        int eq = text.indexOf('=', start);
        boolean hasValue = eq >= 0 && eq < end;
        String key = decode(text.substring(start, hasValue ? eq : end), charset);
        String value = hasValue ? decode(text.substring(eq + 1, end), charset) : "";
        JsonNode existing = node.get(key);
        if (existing == null) {
          node.put(key, value);
        } else if (existing.isArray()) {
          ((ArrayNode) existing).add(value);
        } else {
          node.putArray(key).add(existing.textValue()).add(value);
        }
      }
      if (amp < 0) {
        break;
      }
      start = amp + 1;
    }
    return node;
  }

  private static String decode(String s, Charset charset) {
    try {
      return URLDecoder.decode(s, charset);
    } catch (IllegalArgumentException malformed) {
      return s;
    }
  }

  static BodyMode modeOf(String contentType, byte[] sample) {
    if (contentType == null || contentType.isBlank()) {
      return sniff(sample);
    }
    if (GrpcWire.isGrpc(contentType)) {
      return BodyMode.GRPC;
    }
    String media = mediaType(contentType);
    if (media.equals("application/json") || media.endsWith("+json") || media.equals("text/json")) {
      return BodyMode.JSON;
    }
    if (media.equals("application/x-www-form-urlencoded")) {
      return BodyMode.FORM;
    }
    if (media.startsWith("text/") || media.endsWith("/xml") || media.endsWith("+xml")
        || media.equals("application/javascript") || media.equals("application/x-ndjson")
        || media.endsWith("/yaml") || media.endsWith("/x-yaml") || media.equals("application/graphql")) {
      return BodyMode.TEXT;
    }
    return BodyMode.BINARY;
  }

  private static BodyMode sniff(byte[] body) {
    for (byte c : body) {
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        continue;
      }
      if (c == '{' || c == '[') {
        return BodyMode.JSON;
      }
      break;
    }
    return isUtf8Text(body) ? BodyMode.TEXT : BodyMode.BINARY;
  }

  private static boolean isUtf8Text(byte[] body) {
    for (byte c : body) {
      if (c >= 0 && c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
        return false;
      }
    }
    try {
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private static String mediaType(String contentType) {
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }

  static Charset charsetOf(String contentType) {
    if (contentType == null) {
      return StandardCharsets.UTF_8;
    }
    int at = contentType.toLowerCase(Locale.ROOT).indexOf("charset=");
    if (at < 0) {
      return StandardCharsets.UTF_8;
    }
    int end = contentType.indexOf(';', at);
    String name = contentType.substring(at + 8, end < 0 ? contentType.length() : end).trim();
    if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
      name = name.substring(1, name.length() - 1);
    }
    try {
      return Charset.forName(name);
    } catch (IllegalArgumentException unknown) {
      return StandardCharsets.UTF_8;
    }
  }
}
