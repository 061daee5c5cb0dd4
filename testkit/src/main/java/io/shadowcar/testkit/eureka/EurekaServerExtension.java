package io.shadowcar.testkit.eureka;

import java.net.URI;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Eureka server (a child process on a free loopback port) for a test class. Register it as a static field:
 *
 * <pre>{@code
 * @RegisterExtension static final EurekaServerExtension EUREKA = new EurekaServerExtension();
 * ... EUREKA.serviceUrl() ...
 * }</pre>
 *
 * Start-up takes seconds, so one server is shared by every class of the test run that uses the extension (kept in
 * JUnit's root store and killed when the run ends, whether tests passed or not; a JVM shutdown hook backs that up).
 * Tests therefore give each instance its own app name and never stop this server. For a server that is down first or
 * goes away within a test, use {@link EurekaServerProcess} directly.
 */
public final class EurekaServerExtension implements BeforeAllCallback {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(EurekaServerExtension.class);

  private volatile EurekaServerProcess server;

  @Override
  public void beforeAll(ExtensionContext context) {
    // The root store closes AutoCloseable values at the end of the run.
    server = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(EurekaServerProcess.class,
        key -> EurekaServerProcess.onFreePort().start(), EurekaServerProcess.class);
  }

  /** The running server; fails before the class starts. */
  public EurekaServerProcess server() {
    EurekaServerProcess running = server;
    if (running == null) {
      throw new IllegalStateException("Eureka server not running (register the extension as a static field)");
    }
    return running;
  }

  /** Shortcut for {@code server().serviceUrl()}. */
  public URI serviceUrl() {
    return server().serviceUrl();
  }
}
