package io.shadowcar.launcher.config;

import io.shadowcar.common.target.TargetUrl;
import java.util.List;

/** A cluster as configured: a fixed list of base URLs, or the UP instances of a Eureka VIP. */
public sealed interface TargetsSpec {

  /** {@code http://a:1,https://b:2,h2c://c:3}. */
  record Static(List<TargetUrl> urls) implements TargetsSpec {
    public Static {
      urls = List.copyOf(urls);
    }
  }

  /** {@code eureka:VIPADDRESS}. */
  record Eureka(String vipAddress) implements TargetsSpec {
    public Eureka {
      if (vipAddress == null || vipAddress.isBlank()) {
        throw new IllegalArgumentException("vipAddress: '" + vipAddress + "' (expected: a VIP address)");
      }
    }
  }

  TargetsSpec NONE = new Static(List.of());

  default boolean isEmpty() {
    return this instanceof Static s && s.urls().isEmpty();
  }
}
