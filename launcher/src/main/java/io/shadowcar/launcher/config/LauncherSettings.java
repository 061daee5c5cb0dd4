package io.shadowcar.launcher.config;

import io.shadowcar.common.config.Setting;
import io.shadowcar.proxy.tls.ServerTlsSettings;
import java.time.Duration;
import java.util.List;

/** The keys only the launcher reads: where traffic goes, the admin port, dynamic sources, state, logging. */
public final class LauncherSettings {

  public static final Setting<List<String>> PRIMARY_TARGETS = Setting.list("shadowcar.primary.targets", null,
      TargetsParser.EXPECTED, "where requests go; required").runtime();
  public static final Setting<String> ADMIN_HOST =
      Setting.string("shadowcar.admin.host", "127.0.0.1", "interface of the admin port");
  public static final Setting<Integer> ADMIN_PORT = Setting.intIn("shadowcar.admin.port", "7070", 0, 65535,
      "port 0-65535 (0 = any free port)", "admin port: health, metrics, API, dashboard");
  public static final Setting<String> ADMIN_TOKEN = Setting.string("shadowcar.admin.token", "",
      "bearer token for admin mutations; required (this or tokenFile) when the admin host is not loopback");
  public static final Setting<java.util.Optional<java.nio.file.Path>> ADMIN_TOKEN_FILE = Setting.path(
      "shadowcar.admin.tokenFile", "file whose first line is the admin token (e.g. a mounted secret)");
  public static final Setting<List<String>> ADMIN_ALLOWED_HOSTS = Setting.list("shadowcar.admin.allowedHosts", "",
      "comma list of host names or IPs", "Host values the admin port also answers (loopback names, its own "
          + "address and, bound to 0.0.0.0, this machine's addresses always); others get 403");
  /** Also read by the {@code diff-dashboard} command from its {@code --config} file, for the port it serves. */
  public static final ServerTlsSettings ADMIN_TLS = ServerTlsSettings.of("shadowcar.admin.tls", "admin port");
  public static final Setting<List<String>> MASK_HEADERS = Setting.list("shadowcar.mask.headers",
      "Authorization,Proxy-Authorization,Cookie,Set-Cookie,X-Api-Key", "comma list of header names",
      "headers whose values are stored and published only as hmac:... (Kafka records, the diff store and results)");
  public static final Setting<String> MASK_KEY = Setting.string("shadowcar.mask.key", "",
      "HMAC key of the header masks (16+ characters); empty = keyFile");
  public static final Setting<java.util.Optional<java.nio.file.Path>> MASK_KEY_FILE = Setting.path(
      "shadowcar.mask.keyFile", "file holding the HMAC key; empty = mask.key under shadowcar.data.dir, created at "
          + "first start");
  public static final Setting<java.util.Optional<java.nio.file.Path>> DYNAMIC_FILE =
      Setting.path("shadowcar.config.dynamic.file", "properties file polled for dynamic changes");
  public static final Setting<java.util.Optional<java.net.URI>> DYNAMIC_URL =
      Setting.url("shadowcar.config.dynamic.url", "properties URL polled for dynamic changes");
  public static final Setting<Boolean> DYNAMIC_ALLOW_INSECURE_URL = Setting.bool(
      "shadowcar.config.dynamic.allowInsecureUrl", false,
      "accept an http:// dynamic URL (anyone on the path can then change the config)");
  public static final Setting<Long> DYNAMIC_POLL_SECONDS = Setting.longIn("shadowcar.config.dynamic.pollSeconds", "5",
      1, 86_400, "seconds 1-86400", "how often dynamic sources are polled");
  public static final Setting<Duration> DYNAMIC_FIRST_POLL_TIMEOUT = Setting.millis(
      "shadowcar.config.dynamic.firstPollTimeout.ms", 3000, 1, "start-up waits at most this for a first poll");
  /** Relative to the working directory by default, so a trial run needs no set-up; production sets an absolute path. */
  public static final Setting<java.nio.file.Path> DATA_DIR = Setting.of("shadowcar.data.dir", "shadowcar-data",
      "a directory path (created when missing)", java.nio.file.Path::of,
      "where the sidecar keeps its state (the diff store, diff.db); use a persistent volume");
  public static final Setting<NetworkTransport> TRANSPORT = Setting.of("shadowcar.transport", "auto",
      NetworkTransport.EXPECTED, NetworkTransport::parse, "network transport of every event loop: auto = io_uring "
          + "where the kernel allows it (one system call per loop turn instead of one per read and write), else epoll, "
          + "else NIO; a named one that is not available stops the start");
  public static final Setting<String> LOG_LEVEL = Setting.of("shadowcar.log.level", "INFO",
      "TRACE, DEBUG, INFO, WARN or ERROR", raw -> raw.toUpperCase(java.util.Locale.ROOT).matches(
          "TRACE|DEBUG|INFO|WARN|ERROR") ? raw : null,
      "root log level; read by logback at start, so set it with -D or the environment");
  public static final Setting<String> LOG_FORMAT = Setting.of("shadowcar.log.format", "text", "text or json",
      raw -> raw.equals("text") || raw.equals("json") ? raw : null,
      "log lines as text, or one JSON object per line; read by logback at start (-D or the environment)");
  public static final Setting<Boolean> ACCESS_LOG_ENABLED = Setting.bool("shadowcar.log.access.enabled", false,
      "one line per request on the shadowcar.access logger (format in docs/operations.md)").runtime();
  public static final Setting<Double> ACCESS_LOG_SAMPLE_PERCENT = Setting.doubleIn(
      "shadowcar.log.access.sample.percent", "100", 0, 100, "number 0-100",
      "share of requests the access log writes, at random").runtime();

  /**
   * The nice value of the threads doing shadow work (BackgroundPriority): the sidecar's, not the replay's or the
   * diff worker's, whose main job that work is.
   */
  public static final Setting<Integer> THREAD_NICE = Setting.intIn("shadowcar.shadow.threadNice", "10", 0,
      io.shadowcar.common.concurrent.BackgroundPriority.MAX_NICE, "integer 0-19 (0 = off)",
      "scheduling priority (Linux nice) of the threads doing shadow work: the HTTP sink's own event loops, the Kafka "
          + "sink's hand-off, the diff and its store; on busy cores the kernel runs the threads serving callers first; "
          + "0 = the process's priority");

  private LauncherSettings() {}

  public static List<Setting<?>> all() {
    List<Setting<?>> all = new java.util.ArrayList<>(List.of(PRIMARY_TARGETS, ADMIN_HOST, ADMIN_PORT, ADMIN_TOKEN,
        ADMIN_TOKEN_FILE, ADMIN_ALLOWED_HOSTS));
    all.addAll(ADMIN_TLS.all());
    all.addAll(List.of(MASK_HEADERS, MASK_KEY, MASK_KEY_FILE, DYNAMIC_FILE, DYNAMIC_URL, DYNAMIC_ALLOW_INSECURE_URL,
        DYNAMIC_POLL_SECONDS, DYNAMIC_FIRST_POLL_TIMEOUT, DATA_DIR, TRANSPORT, LOG_LEVEL, LOG_FORMAT,
        ACCESS_LOG_ENABLED, ACCESS_LOG_SAMPLE_PERCENT, THREAD_NICE));
    return List.copyOf(all);
  }
}
