package io.shadowcar.testkit.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka (KRaft, broker and controller in one node) running inside the test JVM, on 127.0.0.1 with ports
 * picked at random and its data in a temporary directory.
 *
 * <p>It can be stopped and started again at the same address with the same data, which is how tests simulate "the
 * broker is down". Use it through {@link KafkaBrokerExtension} in JUnit 5 tests; use it directly only where a test
 * needs a broker outside the JUnit lifecycle. Not for anything but tests: no security, replication factor 1, and the
 * whole broker dies with the JVM.
 */
public final class KafkaBroker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);
  private static final int NODE_ID = 1;
  private static final String CONTROLLER_LISTENER = "CONTROLLER";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final Path dataDir;
  private final int brokerPort;
  private final int controllerPort;
  private KafkaRaftServer server;

  private KafkaBroker(Path dataDir, int brokerPort, int controllerPort) {
    this.dataDir = dataDir;
    this.brokerPort = brokerPort;
    this.controllerPort = controllerPort;
  }

  /** Formats fresh storage in a new temporary directory and starts the node; returns once it serves clients. */
  public static KafkaBroker start() {
    KafkaLogLevels.quietKafka();
    // A broker that hits a fatal error calls Exit, which would kill the whole test JVM: make it fail loudly instead.
    Exit.setExitProcedure((status, message) -> {
      throw new IllegalStateException("in-JVM Kafka asked to exit(" + status + "): " + message);
    });
    Exit.setHaltProcedure((status, message) -> {
      throw new IllegalStateException("in-JVM Kafka asked to halt(" + status + "): " + message);
    });
    Path dataDir;
    try {
      dataDir = Files.createTempDirectory("shadowcar-kafka-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    KafkaBroker broker;
    // Both bound at once: the kernel may hand a just-closed port out again, and a broker whose two listeners got the
    // same port does not start.
    try (ServerSocket brokerSocket = freeSocket(); ServerSocket controllerSocket = freeSocket()) {
      broker = new KafkaBroker(dataDir, brokerSocket.getLocalPort(), controllerSocket.getLocalPort());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      long startNanos = System.nanoTime();
      broker.format();
      broker.restart();
      LOG.info("Kafka (KRaft, in-JVM) serving at {} after {} ms",
          broker.bootstrapServers(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
      return broker;
    } catch (RuntimeException e) {
      broker.close();
      throw e;
    }
  }

  /** {@code host:port} of the broker listener; stays the same across {@link #stop()} and {@link #restart()}. */
  public String bootstrapServers() {
    return "127.0.0.1:" + brokerPort;
  }

  /** Whether the node is running (started and not stopped). */
  public synchronized boolean isRunning() {
    return server != null;
  }

  /**
   * Shuts the node down and waits until its ports are closed. Clients then see connection refused at
   * {@link #bootstrapServers()}. Does nothing when already stopped.
   */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    KafkaRaftServer stopping = server;
    server = null;
    stopping.shutdown();
    stopping.awaitShutdown();
  }

  /**
   * Starts the node again at the same address with the data it had, and returns once a client can reach it. Does
   * nothing when already running.
   */
  public synchronized void restart() {
    if (server != null) {
      return;
    }
    KafkaRaftServer starting = new KafkaRaftServer(KafkaConfig.fromProps(serverProperties()), Time.SYSTEM);
    server = starting;
    try {
      starting.startup();
      awaitClientsServed();
    } catch (RuntimeException e) {
      stop();
      throw e;
    }
  }

  /** Creates a topic (replication factor 1) unless it exists, and waits until it is created. */
  public void createTopic(String name, int partitions) {
    try (Admin admin = admin()) {
      admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("creating topic " + name, e.getCause());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating topic " + name, e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("creating topic " + name + " timed out", e);
    }
  }

  /**
   * Reads the first {@code count} records of a topic (all partitions, from the beginning, no consumer group), waiting
   * up to {@code timeout} for them to be there; fails if fewer arrive.
   */
  public List<ConsumerRecord<String, byte[]>> readRecords(String topic, int count, Duration timeout) {
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
          .map(info -> new TopicPartition(topic, info.partition()))
          .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (records.size() < count && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(100)).forEach(records::add);
      }
    }
    if (records.size() < count) {
      throw new AssertionError("expected " + count + " records on " + topic + " within " + timeout + ", got "
          + records.size());
    }
    return records;
  }

  /** Stops the node and deletes its data directory. */
  @Override
  public void close() {
    try {
      stop();
    } finally {
      deleteRecursively(dataDir);
    }
  }

  private void format() {
    try {
      new Formatter()
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .setNodeId(NODE_ID)
          .setClusterId(Uuid.randomUuid().toString())
          .setDirectories(List.of(logDir()))
          .setMetadataLogDirectory(logDir())
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
          .setUnstableFeatureVersionsEnabled(false)
          .setControllerListenerName(CONTROLLER_LISTENER)
          .run();
    } catch (Exception e) {
      throw new IllegalStateException("formatting KRaft storage in " + dataDir, e);
    }
  }

  private Properties serverProperties() {
    Properties p = new Properties();
    p.putAll(Map.ofEntries(
        Map.entry("process.roles", "broker,controller"),
        Map.entry("node.id", String.valueOf(NODE_ID)),
        Map.entry("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort),
        Map.entry("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + "," + CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort),
        Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort),
        Map.entry("controller.listener.names", CONTROLLER_LISTENER),
        Map.entry("inter.broker.listener.name", "PLAINTEXT"),
        Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT"),
        Map.entry("log.dirs", logDir()),
        Map.entry("num.partitions", "1"),
        Map.entry("auto.create.topics.enable", "true"),
        Map.entry("offsets.topic.replication.factor", "1"),
        Map.entry("offsets.topic.num.partitions", "1"),
        Map.entry("transaction.state.log.replication.factor", "1"),
        Map.entry("transaction.state.log.min.isr", "1"),
        Map.entry("share.coordinator.state.topic.replication.factor", "1"),
        Map.entry("share.coordinator.state.topic.min.isr", "1"),
        Map.entry("group.initial.rebalance.delay.ms", "0"),
        // A small footprint: the machine is shared by many test JVMs.
        Map.entry("num.network.threads", "1"),
        Map.entry("num.io.threads", "2"),
        Map.entry("background.threads", "2"),
        Map.entry("num.recovery.threads.per.data.dir", "1"),
        // stop() is a crash as clients see it: no controlled shutdown, so leadership and the clients' metadata stay as
        // they were, like a cluster that became unreachable. A short session lets the restarted node take over fast.
        Map.entry("controlled.shutdown.enable", "false"),
        Map.entry("broker.session.timeout.ms", "1500"),
        Map.entry("broker.heartbeat.interval.ms", "300")));
    return p;
  }

  private void awaitClientsServed() {
    try (Admin admin = admin()) {
      admin.describeCluster().nodes().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Kafka at " + bootstrapServers() + " did not become ready", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for Kafka", e);
    }
  }

  private Admin admin() {
    return Admin.create(Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) READY_TIMEOUT.toMillis(),
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000));
  }

  private String logDir() {
    return dataDir.resolve("log").toString();
  }

  private static ServerSocket freeSocket() throws IOException {
    return new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
