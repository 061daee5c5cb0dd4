package io.shadowcar.launcher.config;

import io.shadowcar.common.config.InvalidValueException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The dynamic configuration sources polled by Archaius, read from the static layers only (a dynamic source cannot
 * move itself).
 *
 * @param file a properties file re-read every poll
 * @param url a properties document fetched every poll ({@code https://} or {@code file:}; {@code http://} only when
 *     {@code allowInsecureUrl}, since anyone on the path could then change the config)
 * @param poll time between polls
 * @param firstPollTimeout how long start-up waits for the first poll of each source before going on without it
 * @param allowInsecureUrl whether an {@code http://} URL is accepted
 */
public record DynamicSources(Optional<Path> file, Optional<URI> url, Duration poll, Duration firstPollTimeout,
    boolean allowInsecureUrl) {

  public DynamicSources {
    boolean plainHttp = url.isPresent() && "http".equals(url.get().getScheme().toLowerCase(Locale.ROOT));
    InvalidValueException.check(!plainHttp || allowInsecureUrl, "url", url.map(URI::toString).orElse(""),
        "an https:// or file: URL; http:// only with " + LauncherSettings.DYNAMIC_ALLOW_INSECURE_URL.key() + "=true");
    if (poll.isNegative() || poll.isZero()) {
      throw new IllegalArgumentException("poll: " + poll + " (expected: > 0)");
    }
    if (firstPollTimeout.isNegative() || firstPollTimeout.isZero()) {
      throw new IllegalArgumentException("firstPollTimeout: " + firstPollTimeout + " (expected: > 0)");
    }
  }

  public static DynamicSources none() {
    return new DynamicSources(Optional.empty(), Optional.empty(), Duration.ofSeconds(5), Duration.ofSeconds(3),
        false);
  }

  public boolean any() {
    return file.isPresent() || url.isPresent();
  }
}
