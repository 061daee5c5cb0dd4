package io.shadowcar.launcher.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** Reads the repository's deployment files (YAML documents, properties) from a test running in any module. */
final class RepositoryFiles {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private RepositoryFiles() {}

  /** The repository root: the first directory up from the working directory that holds {@code mvnw}. */
  static Path root() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("deploy"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
  }

  static Path file(String relative) {
    return root().resolve(relative);
  }

  static String read(String relative) {
    try {
      return Files.readString(file(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every document of a (multi-document) YAML file, empty documents left out. */
  static List<JsonNode> yamlDocuments(String relative) {
    try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(file(relative).toFile())) {
      return documents.readAll().stream().filter(doc -> doc != null && !doc.isNull() && !doc.isEmpty()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode yaml(String relative) {
    List<JsonNode> documents = yamlDocuments(relative);
    if (documents.size() != 1) {
      throw new IllegalStateException(relative + ": " + documents.size() + " documents (expected: 1)");
    }
    return documents.get(0);
  }

  /** Properties text as Java reads it (so a comment after a value would show up as part of the value). */
  static Map<String, String> properties(String text) {
    Properties properties = new Properties();
    try {
      properties.load(new StringReader(text));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> values = new LinkedHashMap<>();
    properties.stringPropertyNames().stream().sorted().forEach(key -> values.put(key, properties.getProperty(key)));
    return values;
  }
}
