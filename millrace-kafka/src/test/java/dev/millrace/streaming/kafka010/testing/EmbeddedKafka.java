package dev.millrace.streaming.kafka010.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node KRaft Kafka broker (combined broker and controller) running in this JVM,
 * with helpers to create topics, produce and read back. Fatal broker faults throw instead of
 * halting the JVM.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final AtomicInteger TOPICS = new AtomicInteger();

  private final Path logDir;
  private final KafkaRaftServer server;
  private final String bootstrap;
  private final Admin admin;

  private EmbeddedKafka(Path logDir, KafkaRaftServer server, String bootstrap) {
    this.logDir = logDir;
    this.server = server;
    this.bootstrap = bootstrap;
    this.admin = Admin.create(Map.of("bootstrap.servers", bootstrap, "default.api.timeout.ms", 30_000));
  }

  /** Formats a fresh log directory and starts a broker on free local ports. */
  public static EmbeddedKafka start() throws IOException {
    Exit.setExitProcedure((code, msg) -> {
      throw new IllegalStateException("Kafka broker called exit(" + code + "): " + msg);
    });
    Exit.setHaltProcedure((code, msg) -> {
      throw new IllegalStateException("Kafka broker called halt(" + code + "): " + msg);
    });
    Path dir = Files.createTempDirectory("millrace-kafka-broker");
    int bport = freePort();
    int cport = freePort();
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + cport);
    p.put("listeners", "PLAINTEXT://127.0.0.1:" + bport + ",CONTROLLER://127.0.0.1:" + cport);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + bport);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", dir.resolve("data").toString());
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("num.partitions", "1");
    p.put("auto.create.topics.enable", "false");
    Path file = dir.resolve("server.properties");
    try (var out = Files.newBufferedWriter(file)) {
      p.store(out, null);
    }
    ByteArrayOutputStream formatOut = new ByteArrayOutputStream();
    int rc = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", file.toString()},
        new PrintStream(formatOut, true, StandardCharsets.UTF_8));
    if (rc != 0) {
      throw new IllegalStateException("Formatting Kafka storage failed (" + rc + "): " + formatOut);
    }
    Map<Object, Object> props = new HashMap<>(p);
    KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
    server.startup();
    return new EmbeddedKafka(dir, server, "127.0.0.1:" + bport);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  public String bootstrapServers() {
    return bootstrap;
  }

  public Admin admin() {
    return admin;
  }

  /** Creates a topic with a unique name starting with {@code prefix}. */
  public String createTopic(String prefix, int partitions) {
    return createTopic(prefix, partitions, Map.of());
  }

  /** Creates a topic with a unique name starting with {@code prefix} and the given topic configs. */
  public String createTopic(String prefix, int partitions, Map<String, String> configs) {
    String name = prefix + "-" + TOPICS.incrementAndGet();
    try {
      admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs))).all().get();
    } catch (Exception e) {
      throw new IllegalStateException("Cannot create topic " + name, e);
    }
    return name;
  }

  /** Producer settings for this broker with string serializers. */
  public Map<String, Object> producerConfig() {
    Map<String, Object> m = new HashMap<>();
    m.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    m.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    m.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    m.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    return m;
  }

  /** Consumer settings for this broker with string deserializers, reading from the earliest offset. */
  public Map<String, Object> consumerConfig(String group) {
    Map<String, Object> m = new HashMap<>();
    m.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    m.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    m.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    m.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    m.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    m.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return m;
  }

  /** Sends {@code value} records to {@code partition} of {@code topic} (key = value) and waits for the acks. */
  public void produce(String topic, int partition, List<String> values) {
    try (KafkaProducer<String, String> p = new KafkaProducer<>(producerConfig())) {
      for (String v : values) {
        p.send(new ProducerRecord<>(topic, partition, v, v));
      }
      p.flush();
    }
  }

  /** Every record now in {@code topic}, read with the given isolation level, sorted by partition and offset. */
  public List<ConsumerRecord<String, String>> readAll(String topic, String isolationLevel) {
    Map<String, Object> cfg = consumerConfig("reader-" + Uuid.randomUuid());
    cfg.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel);
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(cfg)) {
      List<TopicPartition> tps = new ArrayList<>();
      c.partitionsFor(topic).forEach(pi -> tps.add(new TopicPartition(topic, pi.partition())));
      c.assign(tps);
      c.seekToBeginning(tps);
      Map<TopicPartition, Long> end = c.endOffsets(tps);
      List<ConsumerRecord<String, String>> out = new ArrayList<>();
      for (int i = 0; i < 600 && tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp)); i++) {
        c.poll(Duration.ofMillis(100)).forEach(out::add);
      }
      out.sort(Comparator.comparingInt((ConsumerRecord<String, String> r) -> r.partition())
          .thenComparingLong(ConsumerRecord::offset));
      return out;
    }
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
    server.shutdown();
    server.awaitShutdown();
    Exit.resetExitProcedure();
    Exit.resetHaltProcedure();
    try (Stream<Path> files = Files.walk(logDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
