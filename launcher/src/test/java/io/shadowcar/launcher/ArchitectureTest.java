package io.shadowcar.launcher;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** STYLE.md's module walls, checked on the production classes of every module on the launcher's class path. */
class ArchitectureTest {

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.shadowcar");
  }

  @Test
  void healthNeverDependsOnTheProxyModules() {
    noClasses().that().resideInAPackage("io.shadowcar.health..")
        .should().dependOnClassesThat().resideInAnyPackage("io.shadowcar.proxy..", "io.shadowcar.tee..",
            "io.shadowcar.sink..")
        .allowEmptyShould(true)
        .check(classes);
  }

  @Test
  void teeRouterDoesNoIo() {
    DescribedPredicate<JavaClass> pureJavaNet = DescribedPredicate.describe("pure java.net value types",
        c -> c.getName().equals("java.net.URI") || c.getName().equals("java.net.URISyntaxException")
            || c.getName().equals("java.net.URLDecoder") || c.getName().equals("java.net.URLEncoder"));
    noClasses().that().resideInAPackage("io.shadowcar.tee..")
        .should().dependOnClassesThat(DescribedPredicate.or(
            JavaClass.Predicates.resideInAnyPackage("java.nio.file..", "java.io..").and(
                DescribedPredicate.not(JavaClass.Predicates.simpleNameEndingWith("Exception"))),
            JavaClass.Predicates.resideInAPackage("java.net..").and(DescribedPredicate.not(pureJavaNet)),
            JavaClass.Predicates.assignableTo("io.vertx.core.http.HttpClient"),
            JavaClass.Predicates.resideInAPackage("io.vertx.ext.web.client..")))
        .allowEmptyShould(true)
        .check(classes);
  }

  @Test
  void onlyProxyCoreUsesVertxHttpProxy() {
    noClasses().that().resideOutsideOfPackage("io.shadowcar.proxy..")
        .should().dependOnClassesThat().resideInAPackage("io.vertx.httpproxy..")
        .check(classes);
  }

  @Test
  void modulesNeverDependOnTheLauncher() {
    noClasses().that().resideOutsideOfPackages("io.shadowcar.launcher..", "io.shadowcar.testkit..")
        .should().dependOnClassesThat().resideInAPackage("io.shadowcar.launcher..")
        .allowEmptyShould(true)
        .check(classes);
  }

}
