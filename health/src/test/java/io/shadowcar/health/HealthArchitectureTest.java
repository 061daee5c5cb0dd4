package io.shadowcar.health;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.shadowcar.health.api.HealthRoutes;
import io.shadowcar.health.check.CheckState;
import io.shadowcar.health.process.BoundedProcessRunner;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Keeps the health module's walls: it knows neither the proxy modules nor the modules built on it (Eureka, templates),
 * the check core knows nothing of HTTP routes, and processes are started in one place.
 */
class HealthArchitectureTest {

  // The module's own main classes only (scanning the whole classpath for the package is slow).
  private static final JavaClasses HEALTH = new ClassFileImporter()
      .importPath(Path.of(HealthAgent.class.getProtectionDomain().getCodeSource().getLocation().getPath()));

  @Test
  void importedEveryPackageTheRulesName() {
    assertTrue(HEALTH.contain(HealthAgent.class));
    assertTrue(HEALTH.contain(CheckState.class));
    assertTrue(HEALTH.contain(HealthRoutes.class));
    assertTrue(HEALTH.contain(BoundedProcessRunner.class));
  }

  @Test
  void healthNeverDependsOnTheModulesBuiltOnItOrTheProxy() {
    noClasses().that().resideInAPackage("io.shadowcar.health..")
        .should().dependOnClassesThat().resideInAnyPackage("io.shadowcar.eureka..", "io.shadowcar.templates..",
            "io.shadowcar.proxy..", "io.shadowcar.tee..", "io.shadowcar.sink..", "io.shadowcar.launcher..")
        .check(HEALTH);
  }

  @Test
  void onlyTheProcessPackageStartsProcesses() {
    noClasses().that().resideOutsideOfPackage("io.shadowcar.health.process")
        .should().dependOnClassesThat().belongToAnyOf(ProcessBuilder.class)
        .check(HEALTH);
  }

  @Test
  void theProcessRunnerKnowsNothingOfChecks() {
    noClasses().that().resideInAPackage("io.shadowcar.health.process")
        .should().dependOnClassesThat().resideInAnyPackage("io.shadowcar.health.check..", "io.shadowcar.health.api..")
        .check(HEALTH);
  }

  @Test
  void checksDoNotKnowTheAdminApi() {
    noClasses().that().resideInAnyPackage("io.shadowcar.health", "io.shadowcar.health.check")
        .should().dependOnClassesThat().resideInAnyPackage("io.shadowcar.health.api..", "io.vertx.ext.web..")
        .check(HEALTH);
  }
}
