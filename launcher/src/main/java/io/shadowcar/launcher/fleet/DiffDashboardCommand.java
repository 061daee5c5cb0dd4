package io.shadowcar.launcher.fleet;

import io.shadowcar.common.config.ConfigView;
import io.shadowcar.dashboard.DashboardConfig;
import io.shadowcar.dashboard.DiffConfigBinder;
import io.shadowcar.diff.DiffConfig;
import io.shadowcar.launcher.SidecarVertx;
import io.shadowcar.launcher.cli.ArgumentValues;
import io.shadowcar.launcher.cli.ArgumentValues.BadArgumentException;
import io.shadowcar.launcher.config.LauncherSettings;
import io.shadowcar.launcher.replay.ExchangeConsumer.TopicUnavailableException;
import io.shadowcar.proxy.tls.ServerTls;
import io.shadowcar.proxy.tls.TlsBinding;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.util.Optional;

/**
 * {@code shadowcar.jar diff-dashboard ...}: runs a {@link FleetDashboard} until SIGTERM. Exit codes: 0 stopped, 1 the
 * results topic could not be read, the port could not be bound or the {@code --config} file is invalid, 2 bad
 * arguments.
 */
public final class DiffDashboardCommand {

  private DiffDashboardCommand() {}

  /** Runs {@code diff-dashboard} with the arguments after the sub-command's name; returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (ArgumentValues.wantsHelp(args)) {
      out.print(DashboardArguments.USAGE);
      return DiffWorkerCommand.OK;
    }
    DashboardOptions options;
    try {
      options = DashboardArguments.parse(args);
    } catch (BadArgumentException e) {
      err.println("shadowcar diff-dashboard: " + e.getMessage() + " (see diff-dashboard --help)");
      return DiffWorkerCommand.USAGE;
    }
    ConfigView config = FleetConfigFile.read(options.config());
    DiffConfig comparison = DiffConfigBinder.bind(config);
    DashboardConfig dashboard = DashboardConfig.from(config);
    Optional<ServerTls> tls = TlsBinding.server(config, LauncherSettings.ADMIN_TLS);
    if (config.hasProblems() || comparison == null || dashboard == null) {
      config.problems().forEach(problem -> err.println("invalid config: " + problem));
      return DiffWorkerCommand.FAILED;
    }
    FleetLogging.configure(options.jsonLog());
    Vertx vertx = SidecarVertx.create();
    FleetDashboard fleet;
    try {
      fleet = FleetDashboard.start(options, comparison, dashboard,
          config.get(LauncherSettings.ADMIN_ALLOWED_HOSTS), tls, vertx);
    } catch (Exception e) {
      err.println("shadowcar diff-dashboard: cannot start: " + e.getMessage());
      ShutdownHook.close(vertx);
      return DiffWorkerCommand.FAILED;
    }
    ShutdownHook hook = ShutdownHook.install("shadowcar-diff-dashboard-shutdown", fleet::stop);
    try {
      fleet.run();
      return DiffWorkerCommand.OK;
    } catch (TopicUnavailableException e) {
      err.println("shadowcar diff-dashboard: " + e.getMessage());
      return DiffWorkerCommand.FAILED;
    } finally {
      fleet.close();
      ShutdownHook.close(vertx);
      hook.done();
    }
  }
}
