package io.shadowcar.launcher.demo;

/**
 * The command line of {@link SampleService}.
 *
 * @param name instance name, echoed as {@code "service"} in every answer (two instances differ there: noise)
 * @param variant the version of the API this instance plays
 * @param delayMs added before every answer
 * @param failPercent share of requests answered 500 at random
 * @param logRequests one log line per request ({@code --quiet} turns it off for benchmarks)
 */
record SampleOptions(String name, String host, int port, SampleVariant variant, long delayMs, double failPercent,
    boolean logRequests) {

  static final String USAGE = "--name N --port P [--host H] [--variant v1|v2] [--delay-ms MS] [--fail-percent P]"
      + " [--quiet]";

  static SampleOptions parse(String[] args) {
    String name = "v1";
    String host = "127.0.0.1";
    int port = 8081;
    SampleVariant variant = null;
    long delay = 0;
    double fail = 0;
    boolean quiet = false;
    for (int i = 0; i < args.length; i += 2) {
      if (args[i].equals("--quiet")) {
        quiet = true;
        i--;
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value for " + args[i] + " (usage: " + USAGE + ")");
      }
      String value = args[i + 1];
      switch (args[i]) {
        case "--name" -> name = value;
        case "--host" -> host = value;
        case "--port" -> port = Integer.parseInt(value);
        case "--variant" -> variant = SampleVariant.parse(value);
        case "--delay-ms" -> delay = Long.parseLong(value);
        case "--fail-percent" -> fail = Double.parseDouble(value);
        default -> throw new IllegalArgumentException("unknown argument: " + args[i] + " (usage: " + USAGE + ")");
      }
    }
    return new SampleOptions(name, host, port, variant == null ? SampleVariant.defaultFor(name) : variant, delay,
        fail, !quiet);
  }
}
