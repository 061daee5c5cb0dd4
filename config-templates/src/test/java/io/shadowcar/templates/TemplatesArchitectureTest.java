package io.shadowcar.templates;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Keeps the templates module's walls: of the health module it uses the process runner and the status section, never
 * checks or routes; it knows neither Eureka nor the proxy; it never starts a process itself.
 */
class TemplatesArchitectureTest {

  // The module's own main classes only (scanning the whole classpath for the package is slow).
  private static final JavaClasses TEMPLATES = new ClassFileImporter()
      .importPath(Path.of(TemplateRenderer.class.getProtectionDomain().getCodeSource().getLocation().getPath()));

  @Test
  void importedTheModule() {
    assertTrue(TEMPLATES.contain(TemplateRenderer.class));
    assertTrue(TEMPLATES.contain(CommandRunner.class));
  }

  @Test
  void neverDependsOnEurekaOrTheProxyModules() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("io.shadowcar.eureka..", "io.shadowcar.proxy..",
            "io.shadowcar.tee..", "io.shadowcar.sink..", "io.shadowcar.launcher..")
        .check(TEMPLATES);
  }

  @Test
  void usesTheHealthModuleOnlyForItsProcessRunner() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("io.shadowcar.health.check..",
            "io.shadowcar.health.api..")
        .check(TEMPLATES);
  }

  @Test
  void startsProcessesOnlyThroughTheBoundedRunner() {
    noClasses().should().dependOnClassesThat().belongToAnyOf(ProcessBuilder.class, Runtime.class)
        .check(TEMPLATES);
  }
}
