package io.shadowcar.diff;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The engine is pure: no Vert.x, no other shadowcar module, no I/O, no threads (URLDecoder is plain text work). */
class DiffEngineArchitectureTest {

  private final JavaClasses classes = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.shadowcar.diff");

  @Test
  void dependsOnNoFrameworkAndNoOtherModule() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "io.netty..", "io.shadowcar.proxy..",
        "io.shadowcar.tee..", "io.shadowcar.sink..", "io.shadowcar.health..", "io.shadowcar.launcher..")
        .check(classes);
  }

  @Test
  void doesNoIoAndStartsNoThreads() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("java.nio.file..", "java.util.concurrent..")
        .orShould().dependOnClassesThat().haveNameMatching("java\\.net\\.(?!URLDecoder$).*")
        .orShould().dependOnClassesThat().haveNameMatching("java\\.io\\.(File|.*Stream|Reader|Writer).*")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.Thread")
        .check(classes);
  }
}
