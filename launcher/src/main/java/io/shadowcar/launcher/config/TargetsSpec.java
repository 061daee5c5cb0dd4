package io.shadowcar.launcher.config;

import java.net.URI;
import java.util.List;

/** A cluster as configured: a fixed list of base URLs, or the UP instances of a Eureka VIP. */
public sealed interface TargetsSpec {

  /** {@code http://a:1,http://b:2}. */
  record Static(List<URI> urls) implements TargetsSpec {
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
