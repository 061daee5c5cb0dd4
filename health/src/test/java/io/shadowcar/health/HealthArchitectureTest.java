package io.shadowcar.health;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Keeps the health module's walls: no proxy modules, the check core knows nothing of HTTP routes, and processes are
 * started in one place.
 */
class HealthArchitectureTest {

  // The module's own main classes only (scanning the whole classpath for the package is slow).
  private static final JavaClasses HEALTH = new ClassFileImporter()
      .importPath(Path.of(HealthAgent.class.getProtectionDomain().getCodeSource().getLocation().getPath()));

  @Test
  void healthNeverDependsOnTheProxyModulesOrTheLauncher() {
    noClasses().that().resideInAPackage("io.shadowcar.health..")
        .should().dependOnClassesThat().resideInAnyPackage("io.shadowcar.proxy..", "io.shadowcar.tee..",
            "io.shadowcar.shadow..", "io.shadowcar.sink..", "io.shadowcar.launcher..", "io.shadowcar.diff..")
        .check(HEALTH);
  }

  @Test
  void importedTheModule() {
    assertTrue(HEALTH.contain(HealthAgent.class));
  }

  @Test
  void onlyTheProcessPackageStartsProcesses() {
    noClasses().that().resideOutsideOfPackage("io.shadowcar.health.process")
        .should().dependOnClassesThat().belongToAnyOf(ProcessBuilder.class)
        .check(HEALTH);
  }

  @Test
  void theProcessRunnerKnowsNothingOfChecksOrTemplates() {
    noClasses().that().resideInAPackage("io.shadowcar.health.process")
        .should().dependOnClassesThat().resideInAnyPackage("io.shadowcar.health.check..",
            "io.shadowcar.health.template..")
        .check(HEALTH);
  }

  @Test
  void checksDoNotKnowTheAdminApi() {
    noClasses().that().resideInAnyPackage("io.shadowcar.health", "io.shadowcar.health.check")
        .should().dependOnClassesThat().resideInAnyPackage("io.shadowcar.health.api..", "io.vertx.ext.web..")
        .check(HEALTH);
  }
}
