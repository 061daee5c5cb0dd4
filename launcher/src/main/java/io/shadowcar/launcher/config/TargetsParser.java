package io.shadowcar.launcher.config;

import io.shadowcar.common.config.ConfigProblem;
import io.shadowcar.common.config.ConfigView;
import io.shadowcar.common.config.Setting;
import io.shadowcar.common.target.TargetUrl;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses {@code shadowcar.primary.targets} / {@code shadowcar.shadow.targets} / {@code shadowcar.shadow.secondary.targets}:
 * base URLs, each through {@link TargetUrl} (the parser the proxy and the sinks use too, so what validates runs), or
 * {@code eureka:VIP}.
 */
final class TargetsParser {

  private static final String EUREKA = "eureka:";
  static final String EXPECTED = "comma list of " + TargetUrl.FORMS + " base URLs, or eureka:VIPADDRESS";

  private TargetsParser() {}

  static TargetsSpec parse(ConfigView in, String key) {
    List<String> items = in.raw(key).map(Setting::splitList).orElse(List.of());
    if (items.isEmpty()) {
      return TargetsSpec.NONE;
    }
    if (items.size() == 1 && items.get(0).startsWith(EUREKA)) {
      String vip = items.get(0).substring(EUREKA.length()).trim();
      if (vip.isEmpty()) {
        in.problem(key, EXPECTED);
        return TargetsSpec.NONE;
      }
      return new TargetsSpec.Eureka(vip);
    }
    List<TargetUrl> urls = new ArrayList<>();
    for (String item : items) {
      try {
        urls.add(TargetUrl.parse(item));
      } catch (IllegalArgumentException e) {
        in.problem(new ConfigProblem(key, item, EXPECTED));
        return TargetsSpec.NONE;
      }
    }
    return new TargetsSpec.Static(urls);
  }
}
