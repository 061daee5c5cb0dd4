package io.shadowcar.health.check;

import io.shadowcar.health.process.CapturedOutput;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.NetClientOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the runnable check for a definition and owns the clients those checks share: one keep-alive-off HTTP client
 * per TLS mode, one TCP client per TCP check (its connect timeout is the check's timeout). Not for TTL checks: they
 * are pushed, not run. Not thread-safe: build all checks from one thread, then {@link #close()} once.
 */
public final class CheckFactory implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CheckFactory.class);

  private final Vertx vertx;
  private final ScriptRunner scriptRunner;
  private final Map<Boolean, HttpClient> httpClients = new LinkedHashMap<>();
  private final List<AutoCloseable> clients = new ArrayList<>();

  public CheckFactory(Vertx vertx, ScriptRunner scriptRunner) {
    this.vertx = vertx;
    this.scriptRunner = scriptRunner;
  }

  public HealthCheck create(CheckDefinition definition) {
    return switch (definition.kind()) {
      case SCRIPT -> new ScriptCheck(definition, scriptRunner);
      case HTTP -> new HttpCheck(vertx, httpClient(((CheckTarget.Http) definition.target()).tlsSkipVerify()),
          definition, CapturedOutput.DEFAULT_CAPACITY);
      case TCP -> {
        var netClient = vertx.createNetClient(new NetClientOptions()
            .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, definition.timeout().toMillis())));
        clients.add(netClient::close);
        yield new TcpCheck(netClient, definition);
      }
      case TTL -> throw new IllegalArgumentException(definition.name() + ": TTL checks are pushed, not run");
    };
  }

  private HttpClient httpClient(boolean insecure) {
    return httpClients.computeIfAbsent(insecure, skip -> {
      HttpClient client = vertx.httpClientBuilder()
          .with(new HttpClientOptions().setKeepAlive(false).setTrustAll(skip).setVerifyHost(!skip))
          .withConnectHandler(CheckFactory::connectionErrorsAtDebug)
          .build();
      clients.add(client::close);
      return client;
    });
  }

  /**
   * A check's connection reset by its service (crashed, or stopping with the sidecar) fails the check through the
   * request, which reports it; without a handler on the connection Vert.x would also log it at ERROR.
   */
  private static void connectionErrorsAtDebug(HttpConnection connection) {
    connection.exceptionHandler(e -> LOG.debug("check connection to {} failed: {}", connection.remoteAddress(),
        e.toString()));
  }

  @Override
  public void close() {
    for (AutoCloseable client : clients) {
      try {
        client.close();
      } catch (Exception e) {
        LOG.debug("Closing a check client failed", e);
      }
    }
  }
}
