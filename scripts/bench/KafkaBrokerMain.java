import io.shadowcar.testkit.kafka.KafkaBroker;

/**
 * The Kafka broker of scripts/bench.sh's {@code kafka} pair: the tests' in-JVM KRaft node (testkit's
 * {@link KafkaBroker}, on 127.0.0.1), started and kept until the process is killed. Prints one line,
 * {@code bootstrap=HOST:PORT}, once it serves clients. Run with the JDK's source launcher and testkit's classpath.
 */
public final class KafkaBrokerMain {

  public static void main(String[] args) throws Exception {
    KafkaBroker broker = KafkaBroker.start();
    broker.createTopic(args.length > 0 ? args[0] : "shadowcar-bench", 1);
    Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
    System.out.println("bootstrap=" + broker.bootstrapServers());
    System.out.flush();
    Thread.currentThread().join();
  }
}
