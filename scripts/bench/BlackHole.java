import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * A shadow that accepts every connection, reads and discards what it is sent, and never answers: the stuck shadow of
 * scripts/bench.sh (connections stay open until the client gives up). Run with the JDK's source launcher:
 * {@code java scripts/bench/BlackHole.java PORT}. Binds 127.0.0.1 only.
 */
public final class BlackHole {

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    try (Selector selector = Selector.open(); ServerSocketChannel server = ServerSocketChannel.open()) {
      server.bind(new InetSocketAddress("127.0.0.1", port), 4096);
      server.configureBlocking(false);
      server.register(selector, SelectionKey.OP_ACCEPT);
      ByteBuffer sink = ByteBuffer.allocateDirect(64 * 1024);
      while (true) {
        selector.select();
        for (SelectionKey key : selector.selectedKeys()) {
          if (key.isAcceptable()) {
            SocketChannel channel;
            while ((channel = server.accept()) != null) {
              channel.configureBlocking(false);
              channel.register(selector, SelectionKey.OP_READ);
            }
          } else if (key.isReadable()) {
            SocketChannel channel = (SocketChannel) key.channel();
            sink.clear();
            try {
              if (channel.read(sink) < 0) {
                key.cancel();
                channel.close();
              }
            } catch (java.io.IOException closedByPeer) {
              key.cancel();
              channel.close();
            }
          }
        }
        selector.selectedKeys().clear();
      }
    }
  }
}
