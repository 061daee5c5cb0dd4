package io.shadowcar.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The comparer's own rendering of a JSON value is exactly Jackson's {@code toString}, for every kind of value. */
class JsonTextTest {

  /** As the body comparer parses (decimals kept as written), and as Jackson parses by default. */
  private static final List<ObjectMapper> PARSERS = List.of(
      JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES).build(),
      new ObjectMapper());

  @Test
  void scalarsAndContainersReadAsJacksonWritesThem() throws Exception {
    String json = """
        {"text": "plain", "empty": "", "quote": "say \\"hi\\"", "backslash": "a\\\\b", "slash": "a/b",
         "controls": "\\n\\r\\t\\b\\f\\u0000\\u001f\\u007f", "unicode": "é ü 漢字 😀 \\u2028\\u2029",
         "int": 42, "negative": -7, "long": 9007199254740993, "big": 123456789012345678901234567890,
         "decimal": 1.50, "exponent": 1e300, "small": -2.5E-10, "zero": 0.0, "negativeZero": -0.0,
         "true": true, "false": false, "null": null, "array": [1, "two", null, {"k": [true]}], "object": {}}
        """;
    for (ObjectMapper parser : PARSERS) {
      JsonNode tree = parser.readTree(json);
      for (JsonNode value : tree) {
        assertEquals(value.toString(), JsonComparer.text(value), value.getNodeType() + " " + value);
      }
      for (JsonNode element : tree.get("array")) {
        assertEquals(element.toString(), JsonComparer.text(element));
      }
    }
  }

  @Test
  void numbersBuiltInCodeReadAsJacksonWritesThem() {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    for (JsonNode value : List.of(nodes.numberNode(1.0f), nodes.numberNode(0.1d), nodes.numberNode(Double.NaN),
        nodes.numberNode(Double.POSITIVE_INFINITY), nodes.numberNode(Float.NEGATIVE_INFINITY),
        nodes.numberNode(new BigDecimal("1E+3")), nodes.numberNode(new BigDecimal("1e400")),
        nodes.numberNode(BigInteger.TEN.pow(40)), nodes.numberNode((short) 3), nodes.numberNode(Long.MIN_VALUE))) {
      assertEquals(value.toString(), JsonComparer.text(value), value.getClass().getSimpleName());
    }
  }
}
