package io.shadowcar.tee;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * tee-router decides and captures; it does no I/O and sees the proxy only through its tap API. (That it knows no sink
 * and no Kafka is checked by the launcher's architecture test: neither is on this module's class path.)
 */
class TeeRouterArchitectureTest {

  private final JavaClasses classes = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.shadowcar.tee");

  @Test
  void doesNoIo() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage(
            "java.io..", "java.nio.file..", "java.net..", "io.vertx.core.net..", "io.vertx.core.file..")
        .orShould().dependOnClassesThat().haveNameMatching("io\\.vertx\\.core\\.http\\.(HttpClient|HttpServer).*")
        .check(classes);
  }

  @Test
  void seesTheProxyOnlyThroughItsTapApi() {
    noClasses().should().dependOnClassesThat(
            resideInAPackage("io.shadowcar.proxy..").and(not(resideInAPackage("io.shadowcar.proxy.tap.."))))
        .check(classes);
  }
}
