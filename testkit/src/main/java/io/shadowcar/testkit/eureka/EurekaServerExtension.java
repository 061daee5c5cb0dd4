package io.shadowcar.testkit.eureka;

import java.net.URI;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts one real Eureka server per test class (a child process on a free loopback port) and kills it after the
 * class, whether its tests passed or not. Register it as a static field:
 *
 * <pre>{@code
 * @RegisterExtension static final EurekaServerExtension EUREKA = new EurekaServerExtension();
 * ... EUREKA.serviceUrl() ...
 * }</pre>
 *
 * Tests in one class share the server: give each its own app name. Start-up takes a few seconds, so do not use it per
 * method; for a server that comes and goes within a test, use {@link EurekaServerProcess} directly.
 */
public final class EurekaServerExtension implements BeforeAllCallback, AfterAllCallback {

  private EurekaServerProcess server;

  @Override
  public void beforeAll(ExtensionContext context) {
    server = EurekaServerProcess.onFreePort().start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null) {
      server.stop();
      server = null;
    }
  }

  /** The running server; fails outside the class's lifetime. */
  public EurekaServerProcess server() {
    if (server == null) {
      throw new IllegalStateException("Eureka server not running (register the extension as a static field)");
    }
    return server;
  }

  /** Shortcut for {@code server().serviceUrl()}. */
  public URI serviceUrl() {
    return server().serviceUrl();
  }
}
