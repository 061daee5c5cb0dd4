package io.shadowcar.dashboard;

import io.shadowcar.common.config.ConfigProblem;
import io.shadowcar.common.config.ConfigView;
import io.shadowcar.diff.DiffConfig;
import io.shadowcar.diff.GrpcSchema;
import io.shadowcar.diff.LatencyComparison;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.shadowcar.diff.DiffRules;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Builds the comparison's {@link DiffConfig} from the {@link DiffSettings} keys of one {@link ConfigView}. A bad value
 * becomes a problem on its key; the engine's own checks (a malformed template, a blank rule) are mapped to the key
 * that set the field.
 */
public final class DiffConfigBinder {

  /** The methods an endpoint's rules apply to when its template names none. */
  static final List<String> ALL_METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
  private static final Pattern METHOD = Pattern.compile("[A-Z]+");

  private DiffConfigBinder() {}

  /** The comparison config; {@code null} after recording a problem in {@code in}. */
  public static DiffConfig bind(ConfigView in) {
    DiffConfig engine = DiffConfig.defaults();
    double relative = in.get(DiffSettings.RELATIVE_THRESHOLD);
    double absolute = in.get(DiffSettings.ABSOLUTE_THRESHOLD);
    double tolerance = in.get(DiffSettings.NUMERIC_TOLERANCE);
    double relativeTolerance = in.get(DiffSettings.NUMERIC_RELATIVE_TOLERANCE);
    double factor = in.get(DiffSettings.LATENCY_FACTOR);
    int minDelta = in.get(DiffSettings.LATENCY_MIN_DELTA);
    int minSamples = in.get(DiffSettings.LATENCY_MIN_SAMPLES);
    double margin = in.get(DiffSettings.ERROR_RATE_MARGIN);
    int maxEndpoints = in.get(DiffSettings.MAX_ENDPOINTS);
    int maxPaths = in.get(DiffSettings.MAX_PATHS_PER_ENDPOINT);
    List<String> ignorePaths = in.get(DiffSettings.IGNORE_PATHS);
    List<String> ignoreHeaders = in.get(DiffSettings.IGNORE_HEADERS);
    List<String> presenceOnly = in.get(DiffSettings.PRESENCE_ONLY_HEADERS);
    List<String> sets = in.get(DiffSettings.SETS);
    List<String> templates = new ArrayList<>();
    Map<String, DiffRules> endpointRules = new LinkedHashMap<>();
    for (String name : in.names(DiffSettings.ENDPOINTS_PREFIX)) {
      endpoint(in, name, templates, endpointRules);
    }
    GrpcSchema grpcSchema = grpcSchema(in);
    return in.build(() -> new DiffConfig(relative, absolute, tolerance, relativeTolerance,
            new DiffRules(ignorePaths, ignoreHeaders, presenceOnly, sets), endpointRules, templates,
            new LatencyComparison(factor, minDelta, minSamples, margin), engine.maxLineDiffs(),
            engine.maxValueChars(), maxEndpoints, maxPaths, grpcSchema),
        Map.ofEntries(
            Map.entry("relativeThreshold", DiffSettings.RELATIVE_THRESHOLD.key()),
            Map.entry("absoluteThreshold", DiffSettings.ABSOLUTE_THRESHOLD.key()),
            Map.entry("absoluteTolerance", DiffSettings.NUMERIC_TOLERANCE.key()),
            Map.entry("relativeTolerance", DiffSettings.NUMERIC_RELATIVE_TOLERANCE.key()),
            Map.entry("ignoredPaths", DiffSettings.IGNORE_PATHS.key()),
            Map.entry("ignoredHeaders", DiffSettings.IGNORE_HEADERS.key()),
            Map.entry("valueIgnoredHeaders", DiffSettings.PRESENCE_ONLY_HEADERS.key()),
            Map.entry("setPaths", DiffSettings.SETS.key()),
            Map.entry("latency.factor", DiffSettings.LATENCY_FACTOR.key()),
            Map.entry("latency.minDeltaMillis", DiffSettings.LATENCY_MIN_DELTA.key()),
            Map.entry("latency.minSamples", DiffSettings.LATENCY_MIN_SAMPLES.key()),
            Map.entry("latency.errorRateMargin", DiffSettings.ERROR_RATE_MARGIN.key()),
            Map.entry("maxEndpoints", DiffSettings.MAX_ENDPOINTS.key()),
            Map.entry("maxPathsPerEndpoint", DiffSettings.MAX_PATHS_PER_ENDPOINT.key())),
        DiffSettings.RELATIVE_THRESHOLD.key());
  }

  /** The gRPC schema from the descriptor set file, when one is configured; a file that will not do is a problem. */
  private static GrpcSchema grpcSchema(ConfigView in) {
    Optional<Path> file = in.get(DiffSettings.GRPC_DESCRIPTOR_SET);
    if (file == null || file.isEmpty()) {
      return GrpcSchema.NONE;
    }
    String key = DiffSettings.GRPC_DESCRIPTOR_SET.key();
    try {
      return GrpcSchema.parse(Files.readAllBytes(file.get()));
    } catch (IOException | IllegalArgumentException e) {
      in.problem(new ConfigProblem(key, file.get().toString(),
          "a readable protobuf descriptor set (protoc --include_imports --descriptor_set_out): " + e.getMessage()));
      return GrpcSchema.NONE;
    }
  }

  /** One {@code shadowcar.diff.endpoints.NAME.*} group: its template, and its rules for each method it names. */
  private static void endpoint(ConfigView in, String name, List<String> templates,
      Map<String, DiffRules> endpointRules) {
    String templateKey = DiffSettings.ENDPOINT_TEMPLATE.key(name);
    String raw = in.require(DiffSettings.ENDPOINT_TEMPLATE, name);
    List<String> paths = in.get(DiffSettings.ENDPOINT_IGNORE_PATHS, name);
    List<String> headers = in.get(DiffSettings.ENDPOINT_IGNORE_HEADERS, name);
    List<String> sets = in.get(DiffSettings.ENDPOINT_SETS, name);
    if (raw == null) {
      return;
    }
    int space = raw.indexOf(' ');
    String method = space < 0 ? null : raw.substring(0, space).toUpperCase(Locale.ROOT);
    String template = space < 0 ? raw : raw.substring(space + 1).trim();
    if (method != null && !METHOD.matcher(method).matches()) {
      in.problem(templateKey, DiffSettings.ENDPOINT_TEMPLATE.expected());
      return;
    }
    // Checked here, where the key is known: the engine would only name its field.
    DiffConfig checked = in.build(() -> DiffConfig.defaults().withTemplates(List.of(template)),
        Map.of(), templateKey);
    DiffRules rules = in.build(() -> new DiffRules(paths, headers, List.of(), sets),
        Map.of("ignoredPaths", DiffSettings.ENDPOINT_IGNORE_PATHS.key(name),
            "ignoredHeaders", DiffSettings.ENDPOINT_IGNORE_HEADERS.key(name),
            "setPaths", DiffSettings.ENDPOINT_SETS.key(name)), templateKey);
    if (checked == null || rules == null) {
      return;
    }
    if (!templates.contains(template)) {
      templates.add(template);
    }
    if (paths.isEmpty() && headers.isEmpty() && sets.isEmpty()) {
      return;
    }
    for (String m : method == null ? ALL_METHODS : List.of(method)) {
      endpointRules.merge(m + ' ' + template, rules, DiffRules::merge);
    }
  }
}
