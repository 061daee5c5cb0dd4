package io.shadowcar.health.check;

import io.shadowcar.common.config.InvalidValueException;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a check probes. Script targets exist only in local configuration: nothing over the admin API can create or
 * change one (Consul's remote script registration is a known remote-code-execution hole).
 */
public sealed interface CheckTarget {

  CheckKind kind();

  /** A short, secret-free description for the admin API (never the command line: it may hold credentials). */
  String describe();

  /** A command run directly with {@link ProcessBuilder}, no shell ({@code shadowcar.checks.NAME.args}). */
  record Args(List<String> args) implements CheckTarget {
    public Args {
      Objects.requireNonNull(args, "args");
      if (args.isEmpty() || args.get(0).isBlank()) {
        throw new InvalidValueException("args", String.join(",", args), "a command and its arguments");
      }
      args = List.copyOf(args);
    }

    @Override
    public CheckKind kind() {
      return CheckKind.SCRIPT;
    }

    @Override
    public String describe() {
      return "args";
    }
  }

  /** A script string run under {@code /bin/sh -c} ({@code shadowcar.checks.NAME.script}). */
  record Shell(String script) implements CheckTarget {
    public Shell {
      Objects.requireNonNull(script, "script");
      if (script.isBlank()) {
        throw new InvalidValueException("script", script, "a shell command");
      }
    }

    @Override
    public CheckKind kind() {
      return CheckKind.SCRIPT;
    }

    @Override
    public String describe() {
      return "sh -c";
    }
  }

  /**
   * An HTTP(S) URL fetched with GET ({@code shadowcar.checks.NAME.http}).
   *
   * @param tlsSkipVerify accept any certificate and host name ({@code .tlsSkipVerify}, Consul's
   *     {@code tls_skip_verify}); for internal endpoints with self-signed certificates only
   */
  record Http(URI url, boolean tlsSkipVerify) implements CheckTarget {

    /** Verifies certificates. */
    public Http(URI url) {
      this(url, false);
    }

    public Http {
      Objects.requireNonNull(url, "url");
      String scheme = url.getScheme();
      if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme) || url.getHost() == null) {
        throw new InvalidValueException("http", url, "an http:// or https:// URL with a host");
      }
    }

    @Override
    public CheckKind kind() {
      return CheckKind.HTTP;
    }

    @Override
    public String describe() {
      // Without user info and query: both may carry secrets.
      return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
          + (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath());
    }
  }

  /** A TCP address to connect to ({@code shadowcar.checks.NAME.tcp=host:port}). */
  record Tcp(String host, int port) implements CheckTarget {
    public Tcp {
      Objects.requireNonNull(host, "host");
      if (host.isBlank()) {
        throw new InvalidValueException("tcp", host, "host:port with a host name or address");
      }
      if (port < 1 || port > 65535) {
        throw new InvalidValueException("tcp", host + ":" + port, "host:port with a port 1-65535");
      }
    }

    /** Parses {@code host:port} (IPv6 as {@code [::1]:port}). */
    public static Tcp parse(String hostPort) {
      int colon = hostPort.lastIndexOf(':');
      if (colon <= 0 || colon == hostPort.length() - 1) {
        throw new InvalidValueException("tcp", hostPort, "host:port");
      }
      String host = hostPort.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      try {
        return new Tcp(host, Integer.parseInt(hostPort.substring(colon + 1)));
      } catch (NumberFormatException e) {
        throw new InvalidValueException("tcp", hostPort, "host:port");
      }
    }

    @Override
    public CheckKind kind() {
      return CheckKind.TCP;
    }

    @Override
    public String describe() {
      return host + ":" + port;
    }
  }

  /** Pushed by the service through {@code PUT /api/checks/NAME/pass|warn|fail}; critical when not pushed in time. */
  record Ttl(Duration ttl) implements CheckTarget {
    public Ttl {
      Objects.requireNonNull(ttl, "ttl");
      if (ttl.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new InvalidValueException("ttl", ttl.toMillis(), "milliseconds >= 1000");
      }
    }

    @Override
    public CheckKind kind() {
      return CheckKind.TTL;
    }

    @Override
    public String describe() {
      return "ttl " + ttl.toMillis() + " ms";
    }
  }
}
