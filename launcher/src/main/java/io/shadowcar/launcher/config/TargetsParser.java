package io.shadowcar.launcher.config;

import io.shadowcar.common.config.ConfigView;
import io.shadowcar.common.config.Setting;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Parses {@code shadowcar.primary.targets} / {@code shadowcar.shadow.targets}: base URLs or {@code eureka:VIP}. */
final class TargetsParser {

  private static final String EUREKA = "eureka:";
  static final String EXPECTED = "comma list of http(s)://host:port base URLs, or eureka:VIPADDRESS";

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
    List<URI> urls = new ArrayList<>();
    for (String item : items) {
      URI uri = baseUrl(item);
      if (uri == null) {
        in.problem(key, EXPECTED);
        return TargetsSpec.NONE;
      }
      urls.add(uri);
    }
    return new TargetsSpec.Static(urls);
  }

  private static URI baseUrl(String raw) {
    try {
      URI uri = new URI(raw);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      boolean http = scheme.equals("http") || scheme.equals("https");
      return http && uri.getHost() != null && uri.getQuery() == null && uri.getFragment() == null ? uri : null;
    } catch (java.net.URISyntaxException e) {
      return null;
    }
  }
}
