package io.shadowcar.launcher.logging;

import static io.shadowcar.common.config.InvalidValueException.check;

/**
 * The access log's switch and sampling ({@code shadowcar.log.access.*}); changeable at runtime.
 *
 * @param enabled whether requests are logged on the {@value AccessLog#LOGGER} logger
 * @param samplePercent share of requests logged, at random (0-100)
 */
public record AccessLogConfig(boolean enabled, double samplePercent) {

  public AccessLogConfig {
    check(samplePercent >= 0 && samplePercent <= 100, "samplePercent", samplePercent, "0-100");
  }
}
