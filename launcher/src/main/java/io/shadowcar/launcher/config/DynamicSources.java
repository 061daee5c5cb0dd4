package io.shadowcar.launcher.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The dynamic configuration sources polled by Archaius, read from the static layers only (a dynamic source cannot
 * move itself).
 *
 * @param file a properties file re-read every poll
 * @param url a properties document fetched every poll ({@code http(s)://} or {@code file:})
 * @param poll time between polls
 * @param firstPollTimeout how long start-up waits for the first poll of each source before going on without it
 */
public record DynamicSources(Optional<Path> file, Optional<URI> url, Duration poll, Duration firstPollTimeout) {

  public DynamicSources {
    if (poll.isNegative() || poll.isZero()) {
      throw new IllegalArgumentException("poll: " + poll + " (expected: > 0)");
    }
    if (firstPollTimeout.isNegative() || firstPollTimeout.isZero()) {
      throw new IllegalArgumentException("firstPollTimeout: " + firstPollTimeout + " (expected: > 0)");
    }
  }

  public static DynamicSources none() {
    return new DynamicSources(Optional.empty(), Optional.empty(), Duration.ofSeconds(5), Duration.ofSeconds(3));
  }

  public boolean any() {
    return file.isPresent() || url.isPresent();
  }
}
