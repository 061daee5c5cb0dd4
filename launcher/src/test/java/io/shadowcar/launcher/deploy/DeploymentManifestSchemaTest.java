package io.shadowcar.launcher.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Every document of deploy/kubernetes/shadowcar.yaml is valid for its kind, as the API server would check it, without
 * a cluster: against the strict schemas in {@code k8s-schemas/}; {@link #main} checks against the complete generated
 * ones when you have them.
 */
class DeploymentManifestSchemaTest {

  static final String MANIFEST = "deploy/kubernetes/shadowcar.yaml";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4);

  @Test
  void everyDocumentMatchesTheSchemaOfItsKind() {
    List<JsonNode> documents = RepositoryFiles.yamlDocuments(MANIFEST);
    assertEquals(List.of("ConfigMap", "ConfigMap", "Deployment", "Service", "Deployment", "Service"),
        documents.stream().map(doc -> doc.path("kind").asText()).toList());
    for (JsonNode document : documents) {
      assertEquals(List.of(), messages(bundled(document).validate(document)), describe(document));
    }
  }

  @Test
  void theSchemasRejectAMisspelledFieldAWrongEnumAndABadQuantity() {
    JsonNode deployment = deployment();
    ObjectNode misspelled = deployment.deepCopy();
    ObjectNode sidecar = (ObjectNode) misspelled.at("/spec/template/spec/initContainers/0");
    sidecar.set("readinesProbe", sidecar.remove("readinessProbe"));
    assertFalse(bundled(misspelled).validate(misspelled).isEmpty(), "an unknown field must fail");

    ObjectNode restartPolicy = deployment.deepCopy();
    ((ObjectNode) restartPolicy.at("/spec/template/spec/initContainers/0")).put("restartPolicy", "OnFailure");
    assertFalse(bundled(restartPolicy).validate(restartPolicy).isEmpty(), "only Always makes a sidecar");

    ObjectNode quantity = deployment.deepCopy();
    ((ObjectNode) quantity.at("/spec/template/spec/initContainers/0/resources/requests")).put("memory", "384MB!");
    assertFalse(bundled(quantity).validate(quantity).isEmpty(), "a quantity has the API's format");
  }

  /**
   * Checks the manifest against the complete generated schemas (yannh/kubernetes-json-schema layout), which are not
   * vendored here: {@code java -cp <test classpath> io.shadowcar.launcher.deploy.DeploymentManifestSchemaTest DIR}.
   * Not a test, so the suite never skips it silently; the bundled strict schemas above always run.
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: DeploymentManifestSchemaTest DIR (a directory of generated schemas)");
    }
    for (JsonNode document : RepositoryFiles.yamlDocuments(MANIFEST)) {
      Path file = Path.of(args[0]).resolve(fileName(document));
      if (!Files.exists(file)) {
        throw new IllegalStateException(file + " missing");
      }
      // They name the unversioned meta-schema ("http://json-schema.org/schema#"); they are draft 4.
      ObjectNode generated = (ObjectNode) JSON.readTree(file.toFile());
      generated.remove("$schema");
      Schema schema = REGISTRY.getSchema(new ByteArrayInputStream(JSON.writeValueAsBytes(generated)), InputFormat.JSON);
      List<String> problems = messages(schema.validate(document));
      System.out.println(describe(document) + ": " + (problems.isEmpty() ? "valid" : problems));
    }
  }

  static JsonNode deployment() {
    return RepositoryFiles.yamlDocuments(MANIFEST).stream()
        .filter(doc -> doc.path("kind").asText().equals("Deployment")).findFirst().orElseThrow();
  }

  private static Schema bundled(JsonNode document) {
    String resource = "/k8s-schemas/" + fileName(document);
    try (InputStream in = DeploymentManifestSchemaTest.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("no schema " + resource + " for " + describe(document));
      }
      return REGISTRY.getSchema(in, InputFormat.JSON);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The generated schemas' file names: {@code deployment-apps-v1.json}, {@code configmap-v1.json}. */
  private static String fileName(JsonNode document) {
    String[] apiVersion = document.path("apiVersion").asText().split("/");
    String kind = document.path("kind").asText().toLowerCase(Locale.ROOT);
    return apiVersion.length == 2 ? kind + "-" + apiVersion[0] + "-" + apiVersion[1] + ".json"
        : kind + "-" + apiVersion[0] + ".json";
  }

  private static String describe(JsonNode document) {
    return document.path("kind").asText() + " " + document.at("/metadata/name").asText();
  }

  private static List<String> messages(List<Error> errors) {
    return errors.stream().map(error -> error.getInstanceLocation() + ": " + error.getMessage()).toList();
  }
}
