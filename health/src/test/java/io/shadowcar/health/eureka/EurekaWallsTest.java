package io.shadowcar.health.eureka;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The Eureka code stays inside the health module's walls: no proxy modules, no blocking Eureka client. */
class EurekaWallsTest {

  static {
    // Judge only our own classes' references; resolving the whole classpath takes many seconds.
    ArchConfiguration.get().setResolveMissingDependenciesFromClassPath(false);
  }

  private static final JavaClasses EUREKA = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.shadowcar.health.eureka");

  @Test
  void doesNotDependOnProxyModules() {
    noClasses().should().dependOnClassesThat()
        .resideInAnyPackage("io.shadowcar.proxy..", "io.shadowcar.tee..", "io.shadowcar.sink..", "io.vertx.httpproxy..")
        .check(EUREKA);
  }

  @Test
  void talksRestNotTheBlockingEurekaClient() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("com.netflix.discovery..", "com.netflix.appinfo..")
        .check(EUREKA);
  }
}
