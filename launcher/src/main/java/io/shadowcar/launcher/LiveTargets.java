package io.shadowcar.launcher;

import io.shadowcar.common.target.TargetUrl;
import io.shadowcar.launcher.config.TargetsSpec;
import io.shadowcar.proxy.upstream.TargetSource;
import java.util.List;

/**
 * A static target list that dynamic config can replace: the proxy and the HTTP sink read {@link #targets()} per
 * request, a config change swaps the list. Not for Eureka VIPs, whose instances come from discovery.
 */
final class LiveTargets implements TargetSource {

  private volatile List<TargetUrl> targets;

  LiveTargets(TargetsSpec.Static spec) {
    this.targets = spec.urls();
  }

  void set(TargetsSpec.Static spec) {
    targets = spec.urls();
  }

  @Override
  public List<TargetUrl> targets() {
    return targets;
  }
}
