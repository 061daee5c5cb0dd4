package io.shadowcar.launcher.replay;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What one {@code replay} run does, as parsed from its command line ({@link ReplayArguments}).
 *
 * @param bootstrap Kafka {@code host:port} list
 * @param topic the topic the Kafka sink publishes to
 * @param target base URL requests are sent to; a path in it is put before each recorded uri
 * @param from where reading starts in each partition
 * @param count requests to replay (sent or failed) before stopping; 0 = no limit
 * @param duration how long to replay before stopping; zero = no limit
 * @param pacing how fast
 * @param routeGlob replay only records of matching routes, if present
 * @param methods replay only these methods (upper case); empty = every method
 * @param pathGlob replay only requests whose path (without query) matches, if present
 * @param allowUnsafe also replay methods other than GET, HEAD, OPTIONS and TRACE
 * @param json print the summary as JSON on stdout
 * @param maxFailurePercent above this share of failed requests the run exits 1
 * @param group consumer group to join and commit offsets to, if present; else partitions are read directly
 * @param maxInflight requests in flight at once; at the cap, reading pauses
 * @param timeout how long one request may take to its response's last byte
 */
public record ReplayOptions(
    String bootstrap,
    String topic,
    URI target,
    StartPosition from,
    long count,
    Duration duration,
    Pacing pacing,
    Optional<String> routeGlob,
    Set<String> methods,
    Optional<String> pathGlob,
    boolean allowUnsafe,
    boolean json,
    double maxFailurePercent,
    Optional<String> group,
    int maxInflight,
    Duration timeout) {

  public ReplayOptions {
    Objects.requireNonNull(bootstrap, "bootstrap");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(pacing, "pacing");
    Objects.requireNonNull(routeGlob, "routeGlob");
    methods = Set.copyOf(methods);
    Objects.requireNonNull(pathGlob, "pathGlob");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(timeout, "timeout");
  }

  /** Where reading starts in each partition. */
  public record StartPosition(Kind kind, long value) {

    /**
     * The kinds of start; {@code value} is the timestamp or offset where one is needed. {@code COMMITTED} (the default
     * with a group) resumes from the group's committed offsets, or the end where it has none.
     */
    public enum Kind { EARLIEST, LATEST, TIMESTAMP, OFFSET, COMMITTED }

    static StartPosition of(Kind kind) {
      return new StartPosition(kind, 0);
    }
  }

  /**
   * How fast requests go out.
   *
   * @param mode {@link Mode#RECORDED} keeps the gaps between record timestamps divided by {@code value} (the speed);
   *     {@link Mode#FIXED_RATE} sends {@code value} requests per second
   */
  public record Pacing(Mode mode, double value) {

    /** The two ways of pacing. */
    public enum Mode { RECORDED, FIXED_RATE }
  }
}
