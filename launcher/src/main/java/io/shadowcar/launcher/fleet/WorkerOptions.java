package io.shadowcar.launcher.fleet;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What one {@code diff-worker} does, as parsed from its command line ({@link WorkerArguments}).
 *
 * @param bootstrap Kafka {@code host:port} list
 * @param topic the exchange topic the sidecars' Kafka sink publishes to
 * @param candidate base URL of the new version; every request is replayed to it
 * @param secondary base URL of a second instance of the primary's version (noise), if any
 * @param resultsTopic where one diff result per exchange is published
 * @param group the consumer group all workers of one fleet share
 * @param rate requests replayed per second at most, by this worker; 0 = no cap
 * @param maxInflight exchanges between reading and a published result at once; at the cap reading pauses
 * @param timeout per replayed request, to its response's end
 * @param maxBodyBytes response body bytes kept for the comparison, and body bytes of each side in a published result
 * @param startAtEarliest where a group without committed offsets starts: the beginning of each partition, or the end
 * @param sessionTimeout the group's {@code session.timeout.ms}: how soon a dead worker's partitions move
 * @param config the {@code shadowcar.diff.*} comparison keys file, if any
 * @param jsonLog log (and the progress line) as JSON, one object per line
 */
record WorkerOptions(
    String bootstrap,
    String topic,
    URI candidate,
    Optional<URI> secondary,
    String resultsTopic,
    String group,
    double rate,
    int maxInflight,
    Duration timeout,
    int maxBodyBytes,
    boolean startAtEarliest,
    Optional<Duration> sessionTimeout,
    Optional<Path> config,
    boolean jsonLog) {

  WorkerOptions {
    Objects.requireNonNull(bootstrap, "bootstrap");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(candidate, "candidate");
    Objects.requireNonNull(secondary, "secondary");
    Objects.requireNonNull(resultsTopic, "resultsTopic");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(sessionTimeout, "sessionTimeout");
    Objects.requireNonNull(config, "config");
  }
}
