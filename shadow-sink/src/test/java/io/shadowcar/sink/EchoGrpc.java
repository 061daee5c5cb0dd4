package io.shadowcar.sink;

import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real grpc-java server on 127.0.0.1 and a free port, with a hand-written service (String messages, no protoc):
 * {@code Unary} answers {@code <name>:<request>}, or {@code INVALID_ARGUMENT} with a message for {@code "fail"};
 * {@code Stream} answers {@code count} messages for a request {@code "<count>"}; {@code Collect} joins every request
 * message of a client stream. Records each request message it receives, by method.
 */
public final class EchoGrpc implements AutoCloseable {

  public static final String SERVICE = "test.Echo";
  public static final MethodDescriptor<String, String> UNARY = method("Unary", MethodDescriptor.MethodType.UNARY);
  public static final MethodDescriptor<String, String> STREAM =
      method("Stream", MethodDescriptor.MethodType.SERVER_STREAMING);
  public static final MethodDescriptor<String, String> COLLECT =
      method("Collect", MethodDescriptor.MethodType.CLIENT_STREAMING);

  /** One request message as the server received it. */
  public record Received(String method, String message) {}

  private final String name;
  private final Server server;
  private final boolean record;
  private final List<Received> received = new CopyOnWriteArrayList<>();

  public EchoGrpc(String name) throws IOException {
    this(name, true);
  }

  /** @param record whether to keep what it receives (a load test must not: the list only grows) */
  public EchoGrpc(String name, boolean record) throws IOException {
    this(name, record, null, null);
  }

  /** A server over TLS (ALPN h2) with this PEM certificate chain and PKCS#8 key. */
  public static EchoGrpc tls(String name, java.nio.file.Path certFile, java.nio.file.Path keyFile)
      throws IOException {
    return new EchoGrpc(name, true, certFile, keyFile);
  }

  private EchoGrpc(String name, boolean record, java.nio.file.Path certFile, java.nio.file.Path keyFile)
      throws IOException {
    this.name = name;
    this.record = record;
    ServerServiceDefinition service = ServerServiceDefinition.builder(SERVICE)
        .addMethod(UNARY, ServerCalls.asyncUnaryCall(this::unary))
        .addMethod(STREAM, ServerCalls.asyncServerStreamingCall(this::stream))
        .addMethod(COLLECT, ServerCalls.asyncClientStreamingCall(this::collect))
        .build();
    NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(service);
    if (certFile != null) {
      builder.sslContext(GrpcSslContexts.forServer(certFile.toFile(), keyFile.toFile()).build());
    }
    server = builder.build().start();
  }

  public int port() {
    return server.getPort();
  }

  public List<Received> received() {
    return received;
  }

  private void unary(String request, StreamObserver<String> response) {
    keep("Unary", request);
    if (request.equals("fail")) {
      response.onError(Status.INVALID_ARGUMENT.withDescription("bad input: fail").asRuntimeException());
      return;
    }
    response.onNext(name + ":" + request);
    response.onCompleted();
  }

  private void stream(String request, StreamObserver<String> response) {
    keep("Stream", request);
    int count = Integer.parseInt(request);
    for (int i = 0; i < count; i++) {
      response.onNext(name + "-item-" + i);
    }
    response.onCompleted();
  }

  private StreamObserver<String> collect(StreamObserver<String> response) {
    StringBuilder all = new StringBuilder();
    return new StreamObserver<>() {
      @Override
      public void onNext(String message) {
        keep("Collect", message);
        all.append(message);
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        response.onNext(name + ":" + all);
        response.onCompleted();
      }
    };
  }

  private void keep(String method, String message) {
    if (record) {
      received.add(new Received(method, message));
    }
  }

  @Override
  public void close() {
    server.shutdownNow();
  }

  private static MethodDescriptor<String, String> method(String name, MethodDescriptor.MethodType type) {
    return MethodDescriptor.<String, String>newBuilder()
        .setType(type)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
        .setRequestMarshaller(Utf8.INSTANCE)
        .setResponseMarshaller(Utf8.INSTANCE)
        .build();
  }

  /** Messages are UTF-8 text: a marshaller without protobuf. */
  private enum Utf8 implements MethodDescriptor.Marshaller<String> {
    INSTANCE;

    @Override
    public InputStream stream(String value) {
      return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String parse(InputStream stream) {
      try {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
