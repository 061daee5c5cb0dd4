package io.shadowcar.launcher.config;

import java.time.Duration;

/**
 * The primary cluster as bound from {@code shadowcar.primary.*}.
 *
 * @param targets where requests go
 * @param timeout upstream response timeout (504 on expiry)
 */
public record PrimarySettings(TargetsSpec targets, Duration timeout) {

  public PrimarySettings {
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("targets: empty (expected: at least one base URL or eureka:VIP)");
    }
  }
}
