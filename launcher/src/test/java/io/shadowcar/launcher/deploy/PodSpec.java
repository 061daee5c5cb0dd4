package io.shadowcar.launcher.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;

/** Navigation in a Deployment's pod template: containers by name, their ports, mounts and volumes. */
record PodSpec(JsonNode spec) {

  static PodSpec of(JsonNode deployment) {
    return new PodSpec(deployment.at("/spec/template/spec"));
  }

  /** Init containers first, then the app containers, as the kubelet starts them. */
  List<JsonNode> containers() {
    List<JsonNode> all = new ArrayList<>();
    spec.path("initContainers").forEach(all::add);
    spec.path("containers").forEach(all::add);
    return all;
  }

  JsonNode container(String name) {
    return containers().stream().filter(c -> c.path("name").asText().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no container " + name));
  }

  JsonNode initContainer(String name) {
    return StreamSupport.stream(spec.path("initContainers").spliterator(), false)
        .filter(c -> c.path("name").asText().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no init container " + name));
  }

  /** A probe's or a Service's port, named or numbered, as the container's port number. */
  static int portNumber(JsonNode container, JsonNode port) {
    if (port.isInt()) {
      return port.asInt();
    }
    for (JsonNode declared : container.path("ports")) {
      if (declared.path("name").asText().equals(port.asText())) {
        return declared.path("containerPort").asInt();
      }
    }
    throw new AssertionError("container " + container.path("name").asText() + " has no port " + port);
  }

  /** Where a volume is mounted in a container. */
  static JsonNode mount(JsonNode container, String volume) {
    for (JsonNode mount : container.path("volumeMounts")) {
      if (mount.path("name").asText().equals(volume)) {
        return mount;
      }
    }
    throw new AssertionError("container " + container.path("name").asText() + " does not mount " + volume);
  }

  /** The volume backed by a ConfigMap. */
  String volumeOfConfigMap(String configMap) {
    for (JsonNode volume : spec.path("volumes")) {
      if (volume.at("/configMap/name").asText().equals(configMap)) {
        return volume.path("name").asText();
      }
    }
    throw new AssertionError("no volume holds ConfigMap " + configMap);
  }

  /** Seconds a container's preStop sleeps (an exec of sleep, or the kubelet's sleep action); 0 without one. */
  static int preStopSeconds(JsonNode container) {
    JsonNode preStop = container.at("/lifecycle/preStop");
    if (preStop.has("sleep")) {
      return preStop.at("/sleep/seconds").asInt();
    }
    JsonNode command = preStop.at("/exec/command");
    if (command.size() == 2 && command.get(0).asText().equals("sleep")) {
      return Integer.parseInt(command.get(1).asText());
    }
    return 0;
  }
}
