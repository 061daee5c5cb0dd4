package io.shadowcar.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every directory under {@code golden/}: {@code primary.json}, {@code candidate.json}, optional
 * {@code secondary.json}, {@code request.json} and {@code config.json}, and {@code expected.json} holding the exact
 * result. A response file is {@code {"status", "headers": [[name, value], ...], "json" | "text" | "base64",
 * "truncated", "failure"}}; a config file holds only the keys that differ from {@link DiffConfig#defaults()}.
 */
class GoldenFilesTest {

  static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
      .enable(SerializationFeature.INDENT_OUTPUT)
      // a config file cannot name a descriptor set (GrpcSchemaTest covers it); null means none
      .addMixIn(DiffConfig.class, WithoutGrpcSchema.class)
      .build();

  @com.fasterxml.jackson.annotation.JsonIgnoreProperties("grpcSchema")
  private interface WithoutGrpcSchema {}

  static Stream<String> cases() throws IOException, URISyntaxException {
    try (Stream<Path> dirs = Files.list(root())) {
      return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
    }
  }

  @Test
  void goldenCasesArePresent() throws Exception {
    assertFalse(cases().toList().size() < 20, "expected at least 20 golden cases");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void producesExactlyTheExpectedResult(String name) throws Exception {
    Path dir = root().resolve(name);
    DiffConfig config = config(dir.resolve("config.json"));
    JsonNode req = read(dir.resolve("request.json"));
    RequestCopy request = RequestCopy.of("golden-" + name,
        req == null ? "GET" : req.path("method").asText("GET"), req == null ? "/golden" : req.path("uri").asText());
    JsonNode secondary = read(dir.resolve("secondary.json"));
    ExchangeSample sample = new ExchangeSample(request, response(read(dir.resolve("primary.json"))),
        response(read(dir.resolve("candidate.json"))), secondary == null ? null : response(secondary));

    DiffResult result = new DiffEngine(config).compare(sample);

    JsonNode actual = view(result);
    JsonNode expected = read(dir.resolve("expected.json"));
    if (!expected.equals(actual)) {
      System.out.println("golden case " + name + "\n--- expected\n" + MAPPER.writeValueAsString(expected)
          + "\n--- actual\n" + MAPPER.writeValueAsString(actual));
    }
    assertEquals(MAPPER.writeValueAsString(expected), MAPPER.writeValueAsString(actual), name);
  }

  /** The comparable part of a result: no ids, no timings. */
  static JsonNode view(DiffResult r) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("endpoint", r.endpoint());
    n.put("outcome", r.outcome().name());
    n.put("bodyMode", r.bodyMode().name());
    n.put("truncated", r.truncated());
    n.put("differingLines", r.differingLines());
    n.set("differences", MAPPER.valueToTree(r.differences()));
    n.set("ignored", MAPPER.valueToTree(r.ignored()));
    n.set("noise", MAPPER.valueToTree(r.noise()));
    return n;
  }

  static Response response(JsonNode n) throws IOException {
    if (n.has("failure")) {
      return new Response.Failure(FailureKind.valueOf(n.get("failure").asText()), n.path("message").asText(), 0);
    }
    List<HttpHeader> headers = new ArrayList<>();
    for (JsonNode h : n.path("headers")) {
      headers.add(HttpHeader.of(h.get(0).asText(), h.get(1).asText()));
    }
    byte[] body = new byte[0];
    if (n.has("json")) {
      body = MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(n.get("json"));
    } else if (n.has("text")) {
      body = n.get("text").asText().getBytes(StandardCharsets.UTF_8);
    } else if (n.has("base64")) {
      body = Base64.getDecoder().decode(n.get("base64").asText());
    }
    return new Response.Answer(n.path("status").asInt(200), headers, body, n.path("truncated").asBoolean(false), 0);
  }

  static DiffConfig config(Path file) throws IOException {
    JsonNode overrides = read(file);
    if (overrides == null) {
      return DiffConfig.defaults();
    }
    ObjectNode merged = MAPPER.valueToTree(DiffConfig.defaults());
    merge(merged, overrides);
    return MAPPER.treeToValue(merged, DiffConfig.class);
  }

  private static void merge(ObjectNode target, JsonNode overrides) {
    for (Map.Entry<String, JsonNode> e : overrides.properties()) {
      JsonNode existing = target.get(e.getKey());
      if (existing instanceof ObjectNode o && e.getValue().isObject()) {
        merge(o, e.getValue());
      } else {
        target.set(e.getKey(), e.getValue());
      }
    }
  }

  private static JsonNode read(Path file) throws IOException {
    return Files.exists(file) ? MAPPER.readTree(file.toFile()) : null;
  }

  private static Path root() throws URISyntaxException {
    return Path.of(GoldenFilesTest.class.getResource("/golden").toURI());
  }
}
