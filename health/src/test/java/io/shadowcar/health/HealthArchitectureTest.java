package io.shadowcar.health;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Keeps the health module's walls: no proxy modules, and the check core knows nothing of HTTP routes. */
class HealthArchitectureTest {

  private static final JavaClasses HEALTH = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.shadowcar.health");

  @Test
  void healthNeverDependsOnTheProxyModulesOrTheLauncher() {
    noClasses().that().resideInAPackage("io.shadowcar.health..")
        .should().dependOnClassesThat().resideInAnyPackage("io.shadowcar.proxy..", "io.shadowcar.tee..",
            "io.shadowcar.shadow..", "io.shadowcar.sink..", "io.shadowcar.launcher..", "io.shadowcar.diff..")
        .check(HEALTH);
  }

  @Test
  void checksDoNotKnowTheAdminApi() {
    noClasses().that().resideInAnyPackage("io.shadowcar.health", "io.shadowcar.health.check")
        .should().dependOnClassesThat().resideInAnyPackage("io.shadowcar.health.api..", "io.vertx.ext.web..")
        .check(HEALTH);
  }
}
