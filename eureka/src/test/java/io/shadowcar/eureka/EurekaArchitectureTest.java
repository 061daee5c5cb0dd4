package io.shadowcar.eureka;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.shadowcar.eureka.rest.EurekaRestClient;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Keeps the Eureka module's walls: of the health module it sees only the status feed; it knows neither the proxy nor
 * the templates; it talks REST, never the blocking Eureka client; the REST layer knows nothing of registration.
 */
class EurekaArchitectureTest {

  // The module's own main classes only (scanning the whole classpath for the package is slow).
  private static final JavaClasses EUREKA = new ClassFileImporter()
      .importPath(Path.of(EurekaRegistrar.class.getProtectionDomain().getCodeSource().getLocation().getPath()));

  @Test
  void importedBothPackages() {
    assertTrue(EUREKA.contain(EurekaRegistrar.class));
    assertTrue(EUREKA.contain(EurekaRestClient.class));
  }

  @Test
  void doesNotDependOnProxyOrTemplateModules() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("io.shadowcar.proxy..", "io.shadowcar.tee..",
            "io.shadowcar.sink..", "io.shadowcar.templates..", "io.shadowcar.launcher..", "io.vertx.httpproxy..")
        .check(EUREKA);
  }

  @Test
  void seesOnlyTheHealthModulesStatusFeed() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("io.shadowcar.health.check..",
            "io.shadowcar.health.api..", "io.shadowcar.health.process..")
        .check(EUREKA);
  }

  @Test
  void talksRestNotTheBlockingEurekaClient() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("com.netflix.discovery..", "com.netflix.appinfo..")
        .check(EUREKA);
  }

  @Test
  void theRestLayerKnowsNothingOfRegistrationOrDiscovery() {
    noClasses().that().resideInAPackage("io.shadowcar.eureka.rest..")
        .should().dependOnClassesThat().resideInAPackage("io.shadowcar.eureka")
        .check(EUREKA);
  }

  @Test
  void testEurekaServerJarStaysOffTheClasspath() {
    // This module depends on testkit/eureka-server as a type-pom with every transitive dependency excluded.
    assertThrows(ClassNotFoundException.class, () -> Class.forName("org.springframework.boot.SpringApplication"));
    assertThrows(ClassNotFoundException.class,
        () -> Class.forName("io.shadowcar.testkit.eurekaserver.TestEurekaServer"));
  }
}
