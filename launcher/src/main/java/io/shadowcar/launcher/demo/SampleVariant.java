package io.shadowcar.launcher.demo;

import java.util.Locale;

/** Which version of the sample service an instance plays: {@code v2} differs from {@code v1} in known ways. */
enum SampleVariant {
  V1,
  V2;

  /** {@code v1} or {@code v2}, any case. */
  static SampleVariant parse(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "v1" -> V1;
      case "v2" -> V2;
      default -> throw new IllegalArgumentException("--variant: " + text + " (expected: v1 or v2)");
    };
  }

  /** Without {@code --variant}: v2 when the instance name holds a 2, as before the flag existed. */
  static SampleVariant defaultFor(String name) {
    return name.contains("2") ? V2 : V1;
  }

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
