package io.shadowcar.dashboard;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.shadowcar.dashboard.web.DiffRoutes;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Keeps the dashboard's walls: it never reaches into the proxy side or the launcher (the launcher adapts exchanges
 * and mounts the router), and the recorder and store know nothing of Vert.x, so they run on plain threads.
 */
class DashboardArchitectureTest {

  private static final JavaClasses DASHBOARD = new ClassFileImporter()
      .importPath(Path.of(DiffRecorder.class.getProtectionDomain().getCodeSource().getLocation().getPath()));

  @Test
  void importedTheModule() {
    assertTrue(DASHBOARD.contain(DiffRecorder.class) && DASHBOARD.contain(DiffRoutes.class));
  }

  @Test
  void neverDependsOnTheProxyModulesOrTheLauncher() {
    noClasses().that().resideInAPackage("io.shadowcar.dashboard..")
        .should().dependOnClassesThat().resideInAnyPackage("io.shadowcar.proxy..", "io.shadowcar.tee..",
            "io.shadowcar.sink..", "io.shadowcar.health..", "io.shadowcar.launcher..")
        .check(DASHBOARD);
  }

  @Test
  void recorderAndStoreKnowNothingOfVertx() {
    noClasses().that().resideInAPackage("io.shadowcar.dashboard")
        .should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "io.shadowcar.dashboard.web..")
        .check(DASHBOARD);
  }

  /** The store and what loads its native library. */
  @Test
  void onlyTheStoreTouchesSqlite() {
    noClasses().that().haveNameNotMatching("io\\.shadowcar\\.dashboard\\.(DiffStore|StoreSchema|SideColumns|NativeLibraryCache)(\\$.*)?")
        .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "org.sqlite..")
        .check(DASHBOARD);
  }
}
