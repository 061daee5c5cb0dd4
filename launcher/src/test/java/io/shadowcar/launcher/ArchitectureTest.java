package io.shadowcar.launcher;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The walls between modules, checked on the production classes of every module on the launcher's class path: only
 * here is every module (and Kafka) present, so only here can a wall be crossed and caught. A rule whose classes are
 * missing fails (ArchUnit's empty-should check), so a renamed package cannot turn a rule into a no-op.
 */
class ArchitectureTest {

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.shadowcar");
  }

  @Test
  void proxyCoreKnowsNoOtherModule() {
    noClasses().that().resideInAPackage("io.shadowcar.proxy..")
        .should().dependOnClassesThat().resideInAnyPackage("io.shadowcar.tee..", "io.shadowcar.sink..",
            "io.shadowcar.health..", "io.shadowcar.launcher..")
        .check(classes);
  }

  @Test
  void teeRouterKnowsNoSinkAndNoKafka() {
    noClasses().that().resideInAPackage("io.shadowcar.tee..")
        .should().dependOnClassesThat().resideInAnyPackage("io.shadowcar.sink..", "org.apache.kafka..")
        .check(classes);
  }

  @Test
  void healthNeverDependsOnTheProxyModules() {
    noClasses().that().resideInAPackage("io.shadowcar.health..")
        .should().dependOnClassesThat().resideInAnyPackage("io.shadowcar.proxy..", "io.shadowcar.tee..",
            "io.shadowcar.sink..")
        .check(classes);
  }

  @Test
  void theDiffNeverDependsOnTheProxyModules() {
    noClasses().that().resideInAnyPackage("io.shadowcar.diff..", "io.shadowcar.dashboard..")
        .should().dependOnClassesThat().resideInAnyPackage("io.shadowcar.proxy..", "io.shadowcar.tee..",
            "io.shadowcar.sink..")
        .check(classes);
  }

  @Test
  void modulesNeverDependOnTheLauncher() {
    noClasses().that().resideOutsideOfPackage("io.shadowcar.launcher..")
        .should().dependOnClassesThat().resideInAPackage("io.shadowcar.launcher..")
        .check(classes);
  }
}
