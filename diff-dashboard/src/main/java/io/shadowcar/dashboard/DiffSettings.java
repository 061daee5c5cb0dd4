package io.shadowcar.dashboard;

import io.shadowcar.common.config.Setting;
import io.shadowcar.diff.DiffConfig;
import io.shadowcar.diff.DiffRules;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The comparison's keys ({@code shadowcar.diff.*}: noise thresholds, ignore rules, set paths, tolerances, latency
 * flags, endpoint templates) and the bounds of the exchange queue in front of the recorder. Each default is read from
 * {@link DiffConfig#defaults()}, the one place the engine's defaults are written; {@link DiffConfigBinder} builds the
 * {@link DiffConfig}.
 */
public final class DiffSettings {

  private static final DiffConfig ENGINE = DiffConfig.defaults();
  private static final String PATHS = "comma list of field path patterns (body.meta.*, body.items[*].id)";

  public static final Setting<Double> RELATIVE_THRESHOLD = Setting.doubleIn(
      "shadowcar.diff.noise.relativeThresholdPercent", String.valueOf(ENGINE.relativeThreshold()), 0, 100,
      "percent 0-100", "a field is real only when |raw-noise|/(raw+noise) exceeds this, in percent").runtime();
  public static final Setting<Double> ABSOLUTE_THRESHOLD = Setting.doubleIn(
      "shadowcar.diff.noise.absoluteThresholdPercent", String.valueOf(ENGINE.absoluteThreshold()), 0, 100,
      "percent 0-100", "a field is real only when |raw-noise|/requests exceeds this, in percent").runtime();
  public static final Setting<List<String>> IGNORE_PATHS = Setting.list("shadowcar.diff.ignore.paths",
      String.join(",", ENGINE.rules().ignoredPaths()), PATHS,
      "differences at these paths are counted as ignored, on every endpoint").runtime();
  public static final Setting<List<String>> IGNORE_HEADERS = Setting.list("shadowcar.diff.ignore.headers",
      String.join(",", DiffRules.DEFAULT_IGNORED_HEADERS), "comma list of header names (* allowed: X-B3-*)",
      "headers whose differences are ignored, on every endpoint (setting it replaces the list)").runtime();
  public static final Setting<List<String>> PRESENCE_ONLY_HEADERS = Setting.list(
      "shadowcar.diff.ignore.headerValues", String.join(",", DiffRules.DEFAULT_VALUE_IGNORED_HEADERS),
      "comma list of header names (* allowed)",
      "headers compared for presence only: a changed value is ignored").runtime();
  public static final Setting<List<String>> SETS = Setting.list("shadowcar.diff.sets",
      String.join(",", ENGINE.rules().setPaths()), "comma list of array paths (body.tags, body.items[*].ids)",
      "arrays compared as sets: order never matters, elements are matched by value").runtime();
  public static final Setting<Double> NUMERIC_TOLERANCE = Setting.doubleIn("shadowcar.diff.numericTolerance",
      String.valueOf(ENGINE.absoluteTolerance()), 0, Double.MAX_VALUE, "number >= 0",
      "two JSON numbers at most this far apart are equal; 0 = exact").runtime();
  public static final Setting<Double> NUMERIC_RELATIVE_TOLERANCE = Setting.doubleIn(
      "shadowcar.diff.numericRelativeTolerance", String.valueOf(ENGINE.relativeTolerance()), 0, 1, "number 0-1",
      "two JSON numbers this share of the larger apart (0.01 = 1 %) are equal; 0 = exact").runtime();
  public static final Setting<Double> LATENCY_FACTOR = Setting.doubleIn("shadowcar.diff.latency.factor",
      String.valueOf(ENGINE.latency().factor()), 1, 1000, "number 1-1000",
      "the candidate is slower when its p99 exceeds this times the baseline's (secondary, else primary)").runtime();
  public static final Setting<Integer> LATENCY_MIN_DELTA = Setting.intIn("shadowcar.diff.latency.minDelta.ms",
      String.valueOf(ENGINE.latency().minDeltaMillis()), 0, 3_600_000, "milliseconds 0-3600000",
      "...and only when its p99 is also more than this above the baseline's; 0 = the factor alone").runtime();
  public static final Setting<Integer> LATENCY_MIN_SAMPLES = Setting.intIn("shadowcar.diff.latency.minSamples",
      String.valueOf(ENGINE.latency().minSamples()), 1, 1_000_000, "integer 1-1000000",
      "answers per side before an endpoint may be flagged slower or failing, and the secondary is the baseline").runtime();
  public static final Setting<Double> ERROR_RATE_MARGIN = Setting.doubleIn("shadowcar.diff.errorRate.marginPoints",
      String.valueOf(ENGINE.latency().errorRateMargin()), 0, 100, "percentage points 0-100",
      "the candidate is failing when its 5xx+failure rate exceeds the baseline's by more than this").runtime();
  public static final Setting<Integer> MAX_ENDPOINTS = Setting.intIn("shadowcar.diff.maxEndpoints",
      String.valueOf(ENGINE.maxEndpoints()), 1, 100_000, "integer 1-100000",
      "endpoints counted apart; further ones are folded into * /{other}").runtime();
  public static final Setting<Integer> MAX_PATHS_PER_ENDPOINT = Setting.intIn(
      "shadowcar.diff.maxPathsPerEndpoint", String.valueOf(ENGINE.maxPathsPerEndpoint()), 1, 10_000,
      "integer 1-10000",
      "field paths counted per endpoint; differences at further paths are counted, not listed").runtime();

  /** Prefix of the per-endpoint family, {@code shadowcar.diff.endpoints.NAME.*}. */
  public static final String ENDPOINTS_PREFIX = "shadowcar.diff.endpoints.";
  public static final Setting<String> ENDPOINT_TEMPLATE = Setting.of(ENDPOINTS_PREFIX + Setting.NAME + ".template",
      null, "a path template (/users/{id}, /files/**), optionally after a method (GET /users/{id})", raw -> raw,
      "the endpoint's path template, tried before id detection (endpoints in name order)").runtime();
  public static final Setting<List<String>> ENDPOINT_IGNORE_PATHS = Setting.list(
      ENDPOINTS_PREFIX + Setting.NAME + ".ignore.paths", "", PATHS, "more paths ignored on this endpoint").runtime();
  public static final Setting<List<String>> ENDPOINT_IGNORE_HEADERS = Setting.list(
      ENDPOINTS_PREFIX + Setting.NAME + ".ignore.headers", "", "comma list of header names (* allowed)",
      "more headers ignored on this endpoint").runtime();
  public static final Setting<List<String>> ENDPOINT_SETS = Setting.list(ENDPOINTS_PREFIX + Setting.NAME + ".sets",
      "", "comma list of array paths", "more arrays compared as sets on this endpoint").runtime();

  public static final Setting<Integer> QUEUE_MAX_EXCHANGES = Setting.intIn("shadowcar.diff.queue.maxExchanges",
      "1000", 1, 1_000_000, "integer 1-1000000",
      "exchanges waiting to be compared, at most; over it dropped (shadowcar_diff_dropped_total{reason=queue_full})");
  public static final Setting<Long> QUEUE_MAX_BYTES = Setting.longIn("shadowcar.diff.queue.maxBytes",
      String.valueOf(32L << 20), 1, 1L << 30, "bytes 1-1073741824 (1 GiB)",
      "body bytes of the exchanges waiting to be compared, at most; over it dropped (reason=bytes_full)");

  public static final Setting<Optional<Path>> GRPC_DESCRIPTOR_SET = Setting.path("shadowcar.diff.grpc.descriptorSet",
      "protobuf descriptor set (protoc --include_imports --descriptor_set_out); gRPC responses of its methods are "
          + "compared field by field, others byte by byte");

  private DiffSettings() {}

  public static List<Setting<?>> all() {
    return List.of(RELATIVE_THRESHOLD, ABSOLUTE_THRESHOLD, IGNORE_PATHS, IGNORE_HEADERS, PRESENCE_ONLY_HEADERS, SETS,
        NUMERIC_TOLERANCE, NUMERIC_RELATIVE_TOLERANCE, LATENCY_FACTOR, LATENCY_MIN_DELTA, LATENCY_MIN_SAMPLES,
        ERROR_RATE_MARGIN, MAX_ENDPOINTS, MAX_PATHS_PER_ENDPOINT, ENDPOINT_TEMPLATE, ENDPOINT_IGNORE_PATHS,
        ENDPOINT_IGNORE_HEADERS, ENDPOINT_SETS, QUEUE_MAX_EXCHANGES, QUEUE_MAX_BYTES, GRPC_DESCRIPTOR_SET);
  }
}
