package io.shadowcar.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shadowcar.common.config.ConfigProblem;
import io.shadowcar.common.config.ConfigView;
import io.shadowcar.diff.DiffConfig;
import io.shadowcar.diff.DiffRules;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DiffConfigBinderTest {

  @Test
  void noKeysGiveTheEnginesDefaults() {
    ConfigView view = ConfigView.of(Map.of());
    assertEquals(DiffConfig.defaults(), DiffConfigBinder.bind(view));
    assertTrue(view.problems().isEmpty());
  }

  @Test
  void bindsThresholdsRulesTolerancesAndLatency() {
    ConfigView view = ConfigView.of(Map.of(
        "shadowcar.diff.noise.relativeThresholdPercent", "10",
        "shadowcar.diff.noise.absoluteThresholdPercent", "1.5",
        "shadowcar.diff.ignore.paths", "body.meta.*, body.items[*].at",
        "shadowcar.diff.ignore.headers", "Date,X-Trace-*",
        "shadowcar.diff.sets", "body.tags",
        "shadowcar.diff.numericTolerance", "0.001",
        "shadowcar.diff.latency.factor", "2",
        "shadowcar.diff.latency.minDelta.ms", "25",
        "shadowcar.diff.latency.minSamples", "20"));
    DiffConfig config = DiffConfigBinder.bind(view);

    assertTrue(view.problems().isEmpty(), () -> view.problems().toString());
    assertEquals(10.0, config.relativeThreshold());
    assertEquals(1.5, config.absoluteThreshold());
    assertEquals(new DiffRules(List.of("body.meta.*", "body.items[*].at"), List.of("Date", "X-Trace-*"),
        DiffRules.DEFAULT_VALUE_IGNORED_HEADERS, List.of("body.tags")), config.rules());
    assertEquals(0.001, config.absoluteTolerance());
    assertEquals(2.0, config.latency().factor());
    assertEquals(25, config.latency().minDeltaMillis());
    assertEquals(20, config.latency().minSamples());
  }

  @Test
  void aDescriptorSetFileGivesTheGrpcSchemaAndABadOneIsAProblemOnItsKey(@org.junit.jupiter.api.io.TempDir
      java.nio.file.Path dir) throws Exception {
    com.google.protobuf.DescriptorProtos.FileDescriptorProto file = com.google.protobuf.DescriptorProtos
        .FileDescriptorProto.newBuilder().setName("ping.proto").setPackage("p").setSyntax("proto3")
        .addMessageType(com.google.protobuf.DescriptorProtos.DescriptorProto.newBuilder().setName("Pong"))
        .addService(com.google.protobuf.DescriptorProtos.ServiceDescriptorProto.newBuilder().setName("Ping")
            .addMethod(com.google.protobuf.DescriptorProtos.MethodDescriptorProto.newBuilder().setName("Once")
                .setInputType(".p.Pong").setOutputType(".p.Pong")))
        .build();
    java.nio.file.Path desc = dir.resolve("api.desc");
    java.nio.file.Files.write(desc, com.google.protobuf.DescriptorProtos.FileDescriptorSet.newBuilder().addFile(file)
        .build().toByteArray());
    ConfigView good = ConfigView.of(Map.of("shadowcar.diff.grpc.descriptorSet", desc.toString()));
    assertEquals(1, DiffConfigBinder.bind(good).grpcSchema().methods());
    assertTrue(good.problems().isEmpty(), () -> good.problems().toString());

    java.nio.file.Path junk = java.nio.file.Files.write(dir.resolve("junk.desc"), new byte[] {(byte) 0xff, 1});
    for (java.nio.file.Path bad : List.of(junk, dir.resolve("missing.desc"))) {
      ConfigView view = ConfigView.of(Map.of("shadowcar.diff.grpc.descriptorSet", bad.toString()));
      DiffConfigBinder.bind(view);
      assertEquals(1, view.problems().size(), bad::toString);
      assertEquals("shadowcar.diff.grpc.descriptorSet", view.problems().get(0).key());
    }
  }

  @Test
  void anEndpointAddsItsTemplateAndItsRulesForEveryMethodOrTheOneItNames() {
    ConfigView view = ConfigView.of(Map.of(
        "shadowcar.diff.endpoints.users.template", "/users/{name}",
        "shadowcar.diff.endpoints.users.ignore.paths", "body.generatedAt",
        "shadowcar.diff.endpoints.search.template", "POST /search/**",
        "shadowcar.diff.endpoints.search.sets", "body.hits"));
    DiffConfig config = DiffConfigBinder.bind(view);

    assertTrue(view.problems().isEmpty(), () -> view.problems().toString());
    assertEquals(List.of("/search/**", "/users/{name}"), config.templates());
    assertEquals(List.of("body.generatedAt"), config.rulesFor("GET /users/{name}").ignoredPaths());
    assertEquals(List.of("body.generatedAt"), config.rulesFor("DELETE /users/{name}").ignoredPaths());
    assertEquals(List.of("body.hits"), config.rulesFor("POST /search/**").setPaths());
    assertEquals(List.of(), config.rulesFor("GET /search/**").setPaths());
  }

  @Test
  void badValuesAreProblemsOnTheirKeys() {
    ConfigView view = ConfigView.of(Map.of(
        "shadowcar.diff.latency.factor", "0.5",
        "shadowcar.diff.noise.relativeThresholdPercent", "-1",
        "shadowcar.diff.endpoints.bad.template", "users/{id",
        "shadowcar.diff.endpoints.nameless.ignore.paths", "body.x"));
    DiffConfigBinder.bind(view);

    assertEquals(List.of(
        new ConfigProblem("shadowcar.diff.noise.relativeThresholdPercent", "-1", "percent 0-100"),
        new ConfigProblem("shadowcar.diff.latency.factor", "0.5", "number 1-1000"),
        new ConfigProblem("shadowcar.diff.endpoints.bad.template", "users/{id", "a path starting with /"),
        new ConfigProblem("shadowcar.diff.endpoints.nameless.template", null,
            DiffSettings.ENDPOINT_TEMPLATE.expected())), view.problems());
  }
}
