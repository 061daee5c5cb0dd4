package io.shadowcar.diff;

import com.google.protobuf.Descriptors.Descriptor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares the answers of one exchange: status, headers, then bodies by content type (see {@link Difference} for
 * the path scheme and {@link BodyMode} for the body modes). Primary vs candidate gives the differences; primary vs
 * secondary, when there is a secondary, gives the noise.
 *
 * <p>Stateless apart from its config, so one instance may serve any number of threads. Cheap: a 2 KiB JSON pair
 * takes some tens of microseconds on one core. Not for streamed or very large bodies: bodies are compared whole, as
 * captured; and not a judge of semantics (two JSON arrays of the same items in another order are ORDER_ONLY unless
 * the path is configured as a set).
 */
public final class DiffEngine {

  private final DiffConfig config;
  private final EndpointTemplates templates;
  private final BodyComparer bodies;
  private final CompiledRules globalRules;
  private final Map<String, CompiledRules> endpointRules;

  public DiffEngine(DiffConfig config) {
    this.config = config;
    this.templates = EndpointTemplates.of(config.templates());
    this.bodies = new BodyComparer(config);
    this.globalRules = new CompiledRules(config.rules());
    Map<String, CompiledRules> perEndpoint = new HashMap<>();
    for (String endpoint : config.endpointRules().keySet()) {
      perEndpoint.put(endpoint, new CompiledRules(config.rulesFor(endpoint)));
    }
    this.endpointRules = Map.copyOf(perEndpoint);
  }

  public DiffConfig config() {
    return config;
  }

  /** The endpoint key of a request: {@code METHOD /template}. */
  public String endpointOf(RequestCopy request) {
    return templates.endpointKey(request.method(), request.uri());
  }

  public DiffResult compare(ExchangeSample sample) {
    String endpoint = endpointOf(sample.request());
    CompiledRules rules = endpointRules.getOrDefault(endpoint, globalRules);
    BodyComparer.ParsedBody primaryTree = new BodyComparer.ParsedBody();
    Descriptor grpcType = config.grpcSchema().responseType(sample.request().uri());
    DiffCollector raw = pair(sample.primary(), sample.candidate(), rules, primaryTree, grpcType);
    List<Difference> noise = sample.secondary() == null
        ? List.of()
        : pair(sample.primary(), sample.secondary(), rules, primaryTree, grpcType).differences;
    return new DiffResult(
        sample.request().requestId(),
        endpoint,
        raw.differences.isEmpty() ? ExchangeOutcome.SAME : ExchangeOutcome.DIFFERENT,
        raw.bodyMode,
        raw.truncated,
        raw.differences,
        raw.ignored,
        noise,
        sample.secondary() != null,
        raw.differingLines,
        SideSummary.of(sample.primary()),
        SideSummary.of(sample.candidate()),
        sample.secondary() == null ? null : SideSummary.of(sample.secondary()));
  }

  private DiffCollector pair(Response primary, Response other, CompiledRules rules,
      BodyComparer.ParsedBody primaryTree, Descriptor grpcType) {
    DiffCollector out = new DiffCollector(rules, config.maxValueChars());
    if (primary instanceof Response.Answer a && other instanceof Response.Answer b) {
      if (a.status() != b.status()) {
        out.add("status", DifferenceKind.VALUE_CHANGED, Integer.toString(a.status()), Integer.toString(b.status()));
      }
      HeaderComparer.compare(a.headers(), b.headers(), out);
      bodies.compare(a, b, out, primaryTree, grpcType);
    } else if (!outcomeOf(primary).equals(outcomeOf(other))) {
      out.add("status", DifferenceKind.VALUE_CHANGED, outcomeOf(primary), outcomeOf(other));
    }
    return out;
  }

  /** The status, or for a failure its kind as a JSON string ({@code "TIMEOUT"}). */
  private static String outcomeOf(Response response) {
    return response instanceof Response.Answer a
        ? Integer.toString(a.status())
        : DiffCollector.quote(((Response.Failure) response).kind().name());
  }
}
