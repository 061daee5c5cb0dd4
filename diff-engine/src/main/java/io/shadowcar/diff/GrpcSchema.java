package io.shadowcar.diff;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The response message type of each gRPC method, from a protobuf descriptor set ({@code protoc --include_imports
 * --descriptor_set_out=api.desc ...}), so responses can be compared field by field instead of byte by byte. Keyed by
 * the request path gRPC uses, {@code /package.Service/Method}. Immutable; parsing is pure (the caller reads the file).
 */
public final class GrpcSchema {

  /** Knows no method: every gRPC message is compared by its bytes. */
  public static final GrpcSchema NONE = new GrpcSchema(Map.of(), 0);

  private final Map<String, Descriptor> responses;
  private final int files;

  private GrpcSchema(Map<String, Descriptor> responses, int files) {
    this.responses = Map.copyOf(responses);
    this.files = files;
  }

  /**
   * Parses a serialized {@code FileDescriptorSet}. Every file's imports must be in the set.
   *
   * @throws IllegalArgumentException naming what is wrong when the bytes are not a usable descriptor set
   */
  public static GrpcSchema parse(byte[] descriptorSet) {
    FileDescriptorSet set;
    try {
      set = FileDescriptorSet.parseFrom(descriptorSet);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("not a protobuf FileDescriptorSet: " + e.getMessage(), e);
    }
    Map<String, FileDescriptorProto> protos = new LinkedHashMap<>();
    for (FileDescriptorProto file : set.getFileList()) {
      protos.put(file.getName(), file);
    }
    Map<String, FileDescriptor> built = new HashMap<>();
    Map<String, Descriptor> responses = new HashMap<>();
    for (String name : protos.keySet()) {
      for (ServiceDescriptor service : build(name, protos, built, new ArrayList<>()).getServices()) {
        for (MethodDescriptor method : service.getMethods()) {
          responses.put("/" + service.getFullName() + "/" + method.getName(), method.getOutputType());
        }
      }
    }
    return new GrpcSchema(responses, built.size());
  }

  private static FileDescriptor build(String name, Map<String, FileDescriptorProto> protos,
      Map<String, FileDescriptor> built, List<String> path) {
    FileDescriptor done = built.get(name);
    if (done != null) {
      return done;
    }
    FileDescriptorProto proto = protos.get(name);
    if (proto == null) {
      throw new IllegalArgumentException("import " + name + " is not in the descriptor set (build it with "
          + "protoc --include_imports)");
    }
    if (path.contains(name)) {
      throw new IllegalArgumentException("import cycle through " + name);
    }
    path.add(name);
    FileDescriptor[] deps = new FileDescriptor[proto.getDependencyCount()];
    for (int i = 0; i < deps.length; i++) {
      deps[i] = build(proto.getDependency(i), protos, built, path);
    }
    path.remove(name);
    try {
      FileDescriptor file = FileDescriptor.buildFrom(proto, deps);
      built.put(name, file);
      return file;
    } catch (DescriptorValidationException e) {
      throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
    }
  }

  /** The response type of the method at {@code path} ({@code /pkg.Service/Method}, query ignored), or null. */
  Descriptor responseType(String path) {
    if (responses.isEmpty()) {
      return null;
    }
    int q = path.indexOf('?');
    return responses.get(q < 0 ? path : path.substring(0, q));
  }

  /** How many methods it knows. */
  public int methods() {
    return responses.size();
  }

  @Override
  public String toString() {
    return "GrpcSchema[" + responses.size() + " methods from " + files + " files]";
  }
}
