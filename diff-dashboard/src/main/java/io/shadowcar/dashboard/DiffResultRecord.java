package io.shadowcar.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shadowcar.diff.DiffResult;
import io.shadowcar.diff.ExchangeSample;
import io.shadowcar.diff.FailureKind;
import io.shadowcar.diff.HttpHeader;
import io.shadowcar.diff.RequestCopy;
import io.shadowcar.diff.Response;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * The value of one record on the diff results topic ({@value #FORMAT_V1}): the {@link DiffResult} a diff worker
 * computed and the exchange it compared (request and responses, bodies cut at a cap) so a dashboard can count it and
 * show it as an example. One UTF-8 JSON object; the record key is the endpoint, the record header
 * {@value #FORMAT_HEADER} names the format. Field by field: docs/fleet.md.
 *
 * <p>Readers ignore fields they do not know; a breaking change gets a new {@code v} and a new header value. Not a way
 * to send exchanges around for comparing: the bodies are cut, compare before encoding.
 */
public final class DiffResultRecord {

  /** Record header naming the value's format (the same header name the exchange topic uses). */
  public static final String FORMAT_HEADER = "shadowcar-format";
  public static final String FORMAT_V1 = "diff-result-json-v1";

  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private static final Base64.Encoder BASE64 = Base64.getEncoder();
  private static final Base64.Decoder BASE64_DECODER = Base64.getDecoder();

  /** A result read back with the exchange it was computed from. */
  public record Compared(DiffResult result, ExchangeSample sample, long comparedAtMillis) {
    public Compared {
      Objects.requireNonNull(result, "result");
      Objects.requireNonNull(sample, "sample");
    }
  }

  /** A record that is not a version-1 result; the message says which part is wrong. */
  public static final class BadResultException extends Exception {
    public BadResultException(String message) {
      super(message, null, false, false);
    }
  }

  private DiffResultRecord() {}

  /** Encodes a result and its exchange, each body cut at {@code maxBodyBytes} (flagged {@code bodyTruncated}). */
  public static byte[] encode(DiffResult result, ExchangeSample sample, long comparedAtMillis, int maxBodyBytes) {
    ObjectNode json = JSON.createObjectNode();
    json.put("v", 1);
    json.put("requestId", sample.request().requestId());
    json.put("endpoint", result.endpoint());
    json.put("comparedAt", comparedAtMillis);
    json.set("result", JSON.valueToTree(result));
    RequestCopy request = sample.request();
    ObjectNode req = json.putObject("request");
    req.put("method", request.method());
    req.put("uri", request.uri());
    req.set("headers", headers(request.headers()));
    body(req, request.body(), false, maxBodyBytes);
    json.set("primary", response(sample.primary(), maxBodyBytes));
    json.set("candidate", response(sample.candidate(), maxBodyBytes));
    json.set("secondary", response(sample.secondary(), maxBodyBytes));
    try {
      return JSON.writeValueAsBytes(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a result did not encode", e);
    }
  }

  /** Decodes a value; {@code formatHeader} is the record's header, or null when it has none (then {@code v} decides). */
  public static Compared decode(String formatHeader, byte[] value) throws BadResultException {
    if (formatHeader != null && !formatHeader.equals(FORMAT_V1)) {
      throw new BadResultException("unknown format '" + formatHeader + "'");
    }
    if (value == null) {
      throw new BadResultException("no value");
    }
    JsonNode json;
    try {
      json = JSON.readTree(value);
    } catch (IOException e) {
      throw new BadResultException("not JSON");
    }
    if (json == null || !json.isObject() || json.path("v").asInt(0) != 1) {
      throw new BadResultException("not a version 1 result");
    }
    try {
      DiffResult result = JSON.treeToValue(json.path("result"), DiffResult.class);
      JsonNode req = json.path("request");
      RequestCopy request = new RequestCopy(text(json, "requestId"), text(req, "method"), text(req, "uri"),
          headers(req.path("headers")), bytes(req));
      ExchangeSample sample = new ExchangeSample(request, response(json.path("primary")),
          response(json.path("candidate")), json.path("secondary").isObject() ? response(json.path("secondary")) : null);
      return new Compared(result, sample, json.path("comparedAt").asLong());
    } catch (IOException | RuntimeException e) {
      throw new BadResultException("bad result: " + e.getMessage());
    }
  }

  private static JsonNode response(Response response, int maxBodyBytes) {
    if (response == null) {
      return JSON.nullNode();
    }
    ObjectNode json = JSON.createObjectNode();
    if (response instanceof Response.Answer a) {
      json.put("status", a.status());
      json.set("headers", headers(a.headers()));
      body(json, a.body(), a.truncated(), maxBodyBytes);
    } else {
      Response.Failure f = (Response.Failure) response;
      json.put("failure", f.kind().name());
      json.put("message", f.message());
    }
    json.put("latencyNanos", response.latencyNanos());
    return json;
  }

  private static Response response(JsonNode json) {
    if (!json.isObject()) {
      throw new IllegalArgumentException("a response is not an object");
    }
    long latency = json.path("latencyNanos").asLong();
    if (json.hasNonNull("failure")) {
      return new Response.Failure(FailureKind.valueOf(json.get("failure").asText()), json.path("message").asText(),
          latency);
    }
    return new Response.Answer(json.path("status").asInt(), headers(json.path("headers")), bytes(json),
        json.path("bodyTruncated").asBoolean(), latency);
  }

  private static void body(ObjectNode json, byte[] body, boolean alreadyTruncated, int maxBodyBytes) {
    boolean cut = body.length > maxBodyBytes;
    json.put("body", BASE64.encodeToString(cut ? Arrays.copyOf(body, maxBodyBytes) : body));
    json.put("bodyTruncated", alreadyTruncated || cut);
  }

  private static byte[] bytes(JsonNode json) {
    return BASE64_DECODER.decode(text(json, "body"));
  }

  private static ArrayNode headers(List<HttpHeader> headers) {
    ArrayNode array = JSON.createArrayNode();
    headers.forEach(h -> array.addArray().add(h.name()).add(h.value()));
    return array;
  }

  private static List<HttpHeader> headers(JsonNode json) {
    List<HttpHeader> headers = new ArrayList<>();
    for (JsonNode pair : json) {
      headers.add(new HttpHeader(pair.path(0).asText(), pair.path(1).asText()));
    }
    return headers;
  }

  private static String text(JsonNode json, String field) {
    JsonNode value = json.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException("missing " + field);
    }
    return value.asText();
  }
}
