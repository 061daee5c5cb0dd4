package io.shadowcar.health.check;

import io.shadowcar.health.CheckStatus;
import io.vertx.core.net.NetClient;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * A TCP check: connected within the timeout is passing, anything else critical. The connection is closed at once.
 * Non-blocking. Give it a {@link NetClient} whose connect timeout is the check's timeout.
 */
public final class TcpCheck implements HealthCheck {

  private final NetClient client;
  private final CheckTarget.Tcp target;

  public TcpCheck(NetClient client, CheckDefinition definition) {
    if (!(definition.target() instanceof CheckTarget.Tcp tcp)) {
      throw new IllegalArgumentException(definition.name() + ": not a TCP check");
    }
    this.client = client;
    this.target = tcp;
  }

  @Override
  public CompletionStage<CheckResult> run() {
    long startNanos = System.nanoTime();
    String head = "TCP connect " + target.describe() + ": ";
    return client.connect(target.port(), target.host())
        .compose(socket -> socket.close().map(head + "Success"))
        .map(output -> new CheckResult(CheckStatus.PASSING, output, since(startNanos)))
        .otherwise(error -> new CheckResult(CheckStatus.CRITICAL,
            head + (error.getMessage() != null ? error.getMessage() : error.getClass().getSimpleName()),
            since(startNanos)))
        .toCompletionStage();
  }

  private static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }
}
