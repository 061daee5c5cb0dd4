package io.shadowcar.launcher.fleet;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What one {@code diff-dashboard} does, as parsed from its command line ({@link DashboardArguments}).
 *
 * @param bootstrap Kafka {@code host:port} list
 * @param resultsTopic the topic the diff workers publish their results to
 * @param group this dashboard's consumer group: it reads every partition, so give each dashboard its own
 * @param dataDir where the store lives ({@code diff.db})
 * @param adminHost the address the page and the API listen on
 * @param adminPort their port (0: any free port)
 * @param dedupWindow request ids remembered to drop results delivered twice
 * @param config the {@code shadowcar.diff.*} keys file (thresholds, examples, store), if any
 * @param jsonLog log as JSON, one object per line
 */
record DashboardOptions(
    String bootstrap,
    String resultsTopic,
    String group,
    Path dataDir,
    String adminHost,
    int adminPort,
    int dedupWindow,
    Optional<Path> config,
    boolean jsonLog) {

  DashboardOptions {
    Objects.requireNonNull(bootstrap, "bootstrap");
    Objects.requireNonNull(resultsTopic, "resultsTopic");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(adminHost, "adminHost");
    Objects.requireNonNull(config, "config");
  }
}
