package io.shadowcar.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One start of the sidecar, end to end, for the class-data sharing archive: started with
 * {@code -XX:ArchiveClassesAtExit=shadowcar.jsa}, it starts the sidecar on free loopback ports with itself (its admin
 * port) as primary and shadow, sends a few requests through the tee, and stops; the JVM then writes every class it
 * loaded to the archive, which later starts map instead of loading and verifying them one by one. The build runs it at
 * package time ({@code launcher/target/shadowcar.jsa}) and the Dockerfile in the image; see docs/operations.md.
 *
 * <p>Not for production: it binds ports and writes a throwaway diff store (in the directory given as its argument, or a
 * temporary one).
 */
public final class StartupTraining {

  private StartupTraining() {}

  public static void main(String[] args) throws Exception {
    int proxyPort;
    int adminPort;
    // Both bound at once: the kernel may hand a just-closed port out again, and one port for both would not start.
    try (ServerSocket proxy = freeSocket(); ServerSocket admin = freeSocket()) {
      proxyPort = proxy.getLocalPort();
      adminPort = admin.getLocalPort();
    }
    Path data = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("shadowcar-training");
    String admin = "http://127.0.0.1:" + adminPort;
    System.setProperty("shadowcar.proxy.host", "127.0.0.1");
    System.setProperty("shadowcar.proxy.port", String.valueOf(proxyPort));
    System.setProperty("shadowcar.admin.port", String.valueOf(adminPort));
    System.setProperty("shadowcar.primary.targets", admin);
    System.setProperty("shadowcar.shadow.targets", admin);
    System.setProperty("shadowcar.data.dir", data.toString());
    PrintStream out = System.out;
    if (Main.run(new String[0], out, System.err) != -1) {
      throw new IllegalStateException("the sidecar did not start");
    }
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    String proxy = "http://127.0.0.1:" + proxyPort;
    for (String path : new String[] {"/ready", "/healthcheck", "/api/status", "/metrics", "/ready?again=1"}) {
      HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(URI.create(proxy + path))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding());
      out.println("training request " + path + ": " + answer.statusCode());
    }
    http.send(HttpRequest.newBuilder(URI.create(admin + "/metrics")).build(), HttpResponse.BodyHandlers.discarding());
    // System.exit runs the sidecar's shutdown hook (the ordered stop), after which the JVM writes the archive.
    System.exit(0);
  }

  private static ServerSocket freeSocket() throws IOException {
    return new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
  }
}
