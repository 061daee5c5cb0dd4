package io.shadowcar.launcher.config;

import io.shadowcar.common.config.ConfigProblem;
import io.shadowcar.common.config.InvalidConfigException;
import io.shadowcar.common.config.InvalidValueException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Who may change things through the admin port ({@code shadowcar.admin.token}, {@code .tokenFile},
 * {@code .allowedHosts}). Immutable; read at start.
 *
 * @param token the admin token given inline (masked in {@code /api/config}); empty when unset
 * @param tokenFile a file whose first line is the token (a mounted secret); empty when unset. Exactly one of the two
 *     may be set
 * @param allowedHosts further {@code Host} values the admin port answers (names a browser or a tool uses for it)
 */
public record AdminAccessConfig(Optional<String> token, Optional<Path> tokenFile, List<String> allowedHosts) {

  public AdminAccessConfig {
    token = Objects.requireNonNull(token, "token").map(String::trim).filter(t -> !t.isEmpty());
    Objects.requireNonNull(tokenFile, "tokenFile");
    allowedHosts = List.copyOf(allowedHosts);
    InvalidValueException.check(token.isEmpty() || tokenFile.isEmpty(), "token", "(both set)",
        "shadowcar.admin.token or shadowcar.admin.tokenFile, not both");
    for (String host : allowedHosts) {
      InvalidValueException.check(host.matches("[A-Za-z0-9.:\\[\\]_-]+"), "allowedHosts", host,
          "host names or IP addresses, without port");
    }
  }

  /** True when a token is configured, inline or as a file. */
  public boolean hasToken() {
    return token.isPresent() || tokenFile.isPresent();
  }

  /**
   * The token: the inline one, or the first line of the file. Blocking (reads the file): at start only.
   *
   * @throws InvalidConfigException naming {@code shadowcar.admin.tokenFile} when the file cannot be read or is empty
   */
  public Optional<String> resolveToken() {
    if (tokenFile.isEmpty()) {
      return token;
    }
    Path file = tokenFile.get();
    try {
      String first = Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst().orElse("").trim();
      if (!first.isEmpty()) {
        return Optional.of(first);
      }
    } catch (IOException | RuntimeException e) {
      // reported below, with the key to fix
    }
    throw new InvalidConfigException(List.of(new ConfigProblem(LauncherSettings.ADMIN_TOKEN_FILE.key(),
        file.toString(), "a readable file whose first line is the admin token")));
  }
}
