package io.shadowcar.eureka;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/** The Eureka code stays inside the health module's walls: no proxy modules, no blocking Eureka client. */
class EurekaWallsTest {

  static {
    // Judge only our own classes' references; resolving the whole classpath takes many seconds.
    ArchConfiguration.get().setResolveMissingDependenciesFromClassPath(false);
  }

  // Import from our own class directory: scanning every jar on the test classpath for the package takes seconds.
  private static final JavaClasses EUREKA = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPath(classesOf(EurekaRegistrar.class));

  private static Path classesOf(Class<?> type) {
    try {
      Path root = Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI());
      return root.resolve(type.getPackageName().replace('.', '/'));
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

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

  @Test
  void testEurekaServerJarStaysOffTheClasspath() {
    // health depends on testkit/eureka-server as a type-pom with every transitive dependency excluded.
    assertThrows(ClassNotFoundException.class, () -> Class.forName("org.springframework.boot.SpringApplication"));
    assertThrows(ClassNotFoundException.class,
        () -> Class.forName("io.shadowcar.testkit.eurekaserver.TestEurekaServer"));
  }
}
