import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The dead shadow of scripts/bench.sh: a port of 127.0.0.1 bound without listening, held until the process is killed.
 * A connection to it is refused (the kernel answers its SYN with a reset, as for a port nothing is bound to), and no
 * server the run starts later can be handed the same port, as it could be a port merely found free at the start. Run
 * with the JDK's source launcher: {@code java scripts/bench/RefusingPort.java FILE}; writes the port to FILE once bound.
 */
public final class RefusingPort {

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    try (Socket unconnected = new Socket()) {
      unconnected.bind(new InetSocketAddress("127.0.0.1", 0)); // bound, neither listening nor connected
      Path written = Files.writeString(file.resolveSibling(file.getFileName() + ".tmp"),
          Integer.toString(unconnected.getLocalPort()));
      Files.move(written, file, StandardCopyOption.ATOMIC_MOVE); // a reader never sees half a number
      Thread.sleep(Long.MAX_VALUE);
    }
  }
}
