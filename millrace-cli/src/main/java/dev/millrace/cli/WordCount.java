package dev.millrace.cli;

import dev.millrace.MillraceConf;
import dev.millrace.Tuple2;
import dev.millrace.internal.EngineContext;
import dev.millrace.internal.config.ConfigKey;
import dev.millrace.internal.config.ConfigKeys;
import dev.millrace.storage.StorageLevel;
import dev.millrace.streaming.Duration;
import dev.millrace.streaming.Time;
import dev.millrace.streaming.internal.dstream.BatchPrinter;
import dev.millrace.streaming.api.java.JavaDStream;
import dev.millrace.streaming.api.java.JavaPairDStream;
import dev.millrace.streaming.api.java.JavaStreamingContext;
import dev.millrace.streaming.scheduler.StreamInputInfo;
import dev.millrace.streaming.scheduler.StreamingListener;
import dev.millrace.streaming.scheduler.StreamingListenerBatchCompleted;
import dev.millrace.api.java.function.FlatMapFunction;
import dev.millrace.streaming.api.java.JavaInputDStream;
import dev.millrace.streaming.kafka010.CanCommitOffsets;
import dev.millrace.streaming.kafka010.ConsumerStrategies;
import dev.millrace.streaming.kafka010.HasOffsetRanges;
import dev.millrace.streaming.kafka010.KafkaUtils;
import dev.millrace.streaming.kafka010.LocationStrategies;
import dev.millrace.ui.MillraceUi;
import java.io.PrintStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * {@code millrace wordcount}: the seed tutorial's pipeline (lines, split on whitespace, {@code
 * countByValue}, print each batch) over a socket, a directory, standard input, the values of a
 * Kafka topic's records (direct stream), or a bundled sample text served on a loopback socket.
 */
final class WordCount {
  private WordCount() {}

  static final String HELP = """
      Usage: millrace wordcount [--socket HOST:PORT | --dir DIR | --stdin | --kafka BOOTSTRAP --topic T [--group G]]
                                [--batch 1s] [--master local[2]]
                                [--duration 180s] [--output PREFIX] [--top 10] [--checkpoint DIR]
                                [--conf KEY=VALUE]... [--no-ui] [--no-progress]

      Counts the words of a live text stream batch by batch and prints each batch's counts in Spark
      Streaming's print() format. Words are the pieces of a line between runs of whitespace.

      Source (at most one; with none, a bundled sample text is served on a loopback socket):
        --socket HOST:PORT   read UTF-8 lines from a TCP server, e.g. one started with: nc -lk 9999
                             (the connection is retried every 2 s while the server is down)
        --dir DIR            read the lines of the text files moved into DIR after the start
                             (.gz files are decompressed; names starting with '.' are ignored)
        --stdin              read lines from standard input; stops gracefully at its end
        --kafka BOOTSTRAP    read the values of the records of a Kafka topic as lines, with the direct
                             stream (KafkaUtils.createDirectStream); BOOTSTRAP is bootstrap.servers
          --topic T          the topic (or topics, comma-separated) to read; needed with --kafka
          --group G          the consumer group (default millrace-wordcount); the offsets of each
                             printed batch are committed to it, so a restart goes on where it stopped;
                             a group without committed offsets starts at the earliest offset (with
                             --checkpoint, a restart goes on from the checkpoint instead)

      Options:
        --batch DURATION     batch interval, e.g. 500ms, 1s, 2m (default 1s)
        --master MASTER      local, local[N] or local[*] (default local[2]); or a Spark master, e.g.
                             spark://HOST:7077 or local-cluster[2,1,1024], to run each batch on Apache
                             Spark (bin/millrace then adds millrace-spark and Spark to the class path,
                             and this command's jar is shipped to the executors with spark.jars; with
                             --dir the directory must be on a file system all nodes share)
        --duration DURATION  stop gracefully after this long and exit 0 (default: until Ctrl-C)
        --output PREFIX      also save each batch's full counts as text files in PREFIX-<batch time ms>
        --checkpoint DIR     checkpoint into DIR and, when DIR holds a checkpoint, continue from it: the
                             batches that were pending are re-run, so with --dir or --kafka and
                             --output the job can be killed and restarted without losing or repeating
                             a word (a Kafka batch re-run reads exactly the offsets it read before;
                             receivers get the write-ahead log in DIR)
        --top N              print the N most frequent words of each batch, most frequent first
                             (default 10); "..." follows when the batch had more words
        --conf KEY=VALUE     set a configuration key, e.g. --conf millrace.streaming.receiver.maxRate=10000
                             (millrace conf lists every key with its default and meaning)
        --no-ui              do not serve the web UI (by default at http://127.0.0.1:4040/, or the next
                             free port; its address is printed at the start)
        --no-progress        no progress line on standard error (shown only on a terminal)
        --help               show this help

      Ctrl-C (SIGINT) or SIGTERM stops gracefully: the lines already received are counted first
      (for at most 10 minutes; --conf millrace.streaming.gracefulStopTimeout=30s bounds it otherwise).
      At the end a summary (lines received, batches, lines per second) goes to standard error.
      """;

  /** Thrown for a command line that cannot be run; the message says why. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /** The parsed options. */
  static final class Options {
    String socket;
    String dir;
    String kafka;
    String topic;
    String group;
    boolean stdin;
    long batchMs = 1000;
    String master = "local[2]";
    long durationMs = -1;
    String output;
    String checkpoint;
    int top = 10;
    final List<String[]> conf = new ArrayList<>();
    boolean help;
    boolean noUi;
    boolean noProgress;

    static Options parse(String[] args) throws UsageException {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        String value = null;
        int eq = arg.indexOf('=');
        if (arg.startsWith("--") && eq > 0) {
          value = arg.substring(eq + 1);
          arg = arg.substring(0, eq);
        }
        switch (arg) {
          case "--help", "-h" -> o.help = true;
          case "--stdin" -> o.stdin = true;
          case "--no-ui" -> o.noUi = true;
          case "--no-progress" -> o.noProgress = true;
          case "--socket", "--dir", "--kafka", "--topic", "--group", "--batch", "--master", "--duration",
              "--output", "--top", "--conf", "--checkpoint" -> {
            if (value == null) {
              if (i + 1 >= args.length) {
                throw new UsageException(arg + " needs a value");
              }
              value = args[++i];
            }
            o.set(arg, value);
          }
          default -> throw new UsageException("unknown option '" + args[i] + "'");
        }
      }
      int sources = (o.socket != null ? 1 : 0) + (o.dir != null ? 1 : 0) + (o.stdin ? 1 : 0) + (o.kafka != null ? 1 : 0);
      if (sources > 1) {
        throw new UsageException("give at most one of --socket, --dir, --stdin and --kafka");
      }
      if (o.kafka != null && o.topic == null) {
        throw new UsageException("--kafka needs --topic");
      }
      if (o.kafka == null && (o.topic != null || o.group != null)) {
        throw new UsageException((o.topic != null ? "--topic" : "--group") + " goes with --kafka BOOTSTRAP");
      }
      return o;
    }

    private void set(String option, String value) throws UsageException {
      switch (option) {
        case "--socket" -> {
          int colon = value.lastIndexOf(':');
          if (colon <= 0 || colon == value.length() - 1) {
            throw new UsageException("--socket wants HOST:PORT, got '" + value + "'");
          }
          port(value.substring(colon + 1));
          socket = value;
        }
        case "--dir" -> dir = value;
        case "--kafka" -> {
          if (value.isBlank()) {
            throw new UsageException("--kafka wants the bootstrap servers, e.g. localhost:9092");
          }
          kafka = value;
        }
        case "--topic" -> {
          if (topics(value).isEmpty()) {
            throw new UsageException("--topic wants a topic name, got '" + value + "'");
          }
          topic = value;
        }
        case "--group" -> {
          if (value.isBlank()) {
            throw new UsageException("--group wants a consumer group id");
          }
          group = value;
        }
        case "--batch" -> {
          batchMs = time(option, value);
          if (batchMs <= 0) {
            throw new UsageException("--batch must be positive, got '" + value + "'");
          }
        }
        case "--master" -> master = value;
        case "--duration" -> {
          durationMs = time(option, value);
          if (durationMs <= 0) {
            throw new UsageException("--duration must be positive, got '" + value + "'");
          }
        }
        case "--output" -> output = value;
        case "--checkpoint" -> checkpoint = value;
        case "--top" -> {
          try {
            top = Integer.parseInt(value);
          } catch (NumberFormatException e) {
            top = -1;
          }
          if (top < 1) {
            throw new UsageException("--top wants a positive number, got '" + value + "'");
          }
        }
        case "--conf" -> {
          int eq = value.indexOf('=');
          if (eq <= 0) {
            throw new UsageException("--conf wants KEY=VALUE, got '" + value + "'");
          }
          conf.add(new String[] {value.substring(0, eq), value.substring(eq + 1)});
        }
        default -> throw new AssertionError(option);
      }
    }

    /** The topics of a {@code --topic} value: comma-separated, blanks dropped. */
    static List<String> topics(String value) {
      List<String> out = new ArrayList<>();
      for (String t : value.split(",")) {
        if (!t.isBlank()) {
          out.add(t.trim());
        }
      }
      return out;
    }

    int port() throws UsageException {
      return port(socket.substring(socket.lastIndexOf(':') + 1));
    }

    String host() {
      return socket.substring(0, socket.lastIndexOf(':'));
    }

    private static int port(String text) throws UsageException {
      try {
        int p = Integer.parseInt(text);
        if (p < 1 || p > 65535) {
          throw new NumberFormatException();
        }
        return p;
      } catch (NumberFormatException e) {
        throw new UsageException("not a port number: '" + text + "'");
      }
    }

    private static long time(String option, String value) throws UsageException {
      try {
        return ConfigKey.parseTimeMs(option, value);
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
    }
  }

  /**
   * Runs the command; {@code terminal} says whether standard output is a terminal, which turns on
   * the progress line.
   */
  static int main(String[] args, PrintStream out, PrintStream err, boolean terminal) {
    Options o;
    try {
      o = Options.parse(args);
    } catch (UsageException e) {
      err.println("millrace wordcount: " + e.getMessage());
      err.println("Try 'millrace wordcount --help'.");
      return 2;
    }
    if (o.help) {
      out.print(HELP);
      return 0;
    }
    try {
      return run(o, out, err, terminal);
    } catch (UsageException e) {
      err.println("millrace wordcount: " + e.getMessage());
      return 2;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    } catch (Exception e) {
      err.println("millrace wordcount: " + e);
      return 1;
    }
  }

  private static int run(Options o, PrintStream out, PrintStream err, boolean terminal) throws Exception {
    MillraceConf conf = new MillraceConf().setMaster(o.master).setAppName("millrace wordcount");
    conf.set(ConfigKeys.STOP_GRACEFULLY_ON_SHUTDOWN.name(), "true");
    // A stop finishes what was received even when processing has fallen behind (the engine's
    // default bound is 10 batch intervals); --conf can set a shorter bound.
    conf.set(ConfigKeys.GRACEFUL_STOP_TIMEOUT.name(), "10min");
    if (o.checkpoint != null) {
      conf.set(ConfigKeys.RECEIVER_WAL_ENABLE.name(), "true");
    }
    for (String[] kv : o.conf) {
      conf.set(kv[0], kv[1]);
    }
    if (!EngineContext.isLocal(o.master)) {
      clusterSettings(conf, o.master, System.getProperty("java.class.path"));
    }
    if (o.noUi) {
      conf.set(ConfigKeys.UI_ENABLED.name(), "false");
    }
    if (o.dir != null && !java.nio.file.Files.isDirectory(java.nio.file.Paths.get(o.dir))) {
      throw new UsageException("--dir " + o.dir + " is not a directory");
    }

    SampleServer[] sampleServer = {null};
    CountDownLatch endOfInput = new CountDownLatch(1);
    int top = o.top;
    // Printing a batch and drawing the progress line hold this lock, so they never interleave.
    Object screen = new Object();
    ProgressLine progress = terminal && !o.noProgress ? new ProgressLine(err, o.batchMs, o.kafka != null ? "records" : "lines", screen) : null;
    // With --checkpoint the program is defined by this function, which getOrCreate always calls;
    // the checkpoint then supplies progress and the batches to re-run.
    dev.millrace.api.java.function.Function0<JavaStreamingContext> create = () -> {
      JavaStreamingContext c = new JavaStreamingContext(conf, new Duration(o.batchMs));
      c.ssc().setPrintStream(out);
      if (o.checkpoint != null) {
        c.checkpoint(o.checkpoint);
      }
      JavaDStream<String> lines;
      JavaInputDStream<ConsumerRecord<String, String>> kafka = null;
      if (o.socket != null) {
        lines = c.socketTextStream(o.host(), o.port(), StorageLevel.MEMORY_AND_DISK_SER_2());
      } else if (o.dir != null) {
        lines = c.textFileStream(o.dir);
      } else if (o.kafka != null) {
        kafka = kafkaStream(c, o);
        lines = kafka.flatMap(new RecordValue());
      } else if (o.stdin) {
        lines = c.receiverStream(new StdinReceiver(conf.get(ConfigKeys.MAX_LINE_LENGTH), endOfInput::countDown));
      } else {
        SampleServer server = SampleServer.start();
        sampleServer[0] = server;
        err.println("millrace wordcount: no source given; serving a sample text on " + server.address()
            + " (to count your own text: nc -lk 9999, then millrace wordcount --socket localhost:9999)");
        lines = c.socketTextStream("127.0.0.1", server.port(), StorageLevel.MEMORY_AND_DISK_SER_2());
      }
      JavaPairDStream<String, Long> counts = lines.flatMap(new SplitWords()).countByValue();
      counts.foreachRDD((rdd, time) -> {
        List<Tuple2<String, Long>> first = rdd.top(top + 1, new ByCountThenWord());
        synchronized (screen) {
          if (progress != null) {
            progress.clear();
          }
          printTop(out, time, first, top);
        }
      });
      if (o.output != null) {
        counts.saveAsTextFiles(o.output, null);
      }
      if (kafka != null) {
        // The last output operation of a batch: its offsets are committed to the group only after
        // its counts were printed (and saved).
        CanCommitOffsets committer = (CanCommitOffsets) kafka.inputDStream();
        kafka.foreachRDD(rdd -> committer.commitAsync(((HasOffsetRanges) rdd.rdd()).offsetRanges()));
      }
      return c;
    };
    JavaStreamingContext ssc = o.checkpoint != null ? JavaStreamingContext.getOrCreate(o.checkpoint, create)
        : create.call();
    SampleServer sample = sampleServer[0];

    AtomicLong received = new AtomicLong();
    AtomicLong batches = new AtomicLong();
    ssc.addStreamingListener(new StreamingListener() {
      @Override
      public void onBatchCompleted(StreamingListenerBatchCompleted e) {
        batches.incrementAndGet();
        for (StreamInputInfo info : e.batchInfo().streamIdToInputInfo().values()) {
          received.addAndGet(info.numRecords());
        }
      }
    });

    if (progress != null) {
      ssc.addStreamingListener(progress);
    }

    long started = System.nanoTime();
    boolean[] summarized = {false};
    // Printed once, by the main thread or the shutdown hook, whichever comes first; the lock makes
    // the other wait until it is out, so the JVM does not exit halfway through.
    Runnable summary = () -> {
      synchronized (summarized) {
        if (summarized[0]) {
          return;
        }
        if (progress != null) {
          progress.finish();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        // A Kafka batch counts records (a record without a value is no line).
        String unit = o.kafka != null ? " records" : " lines";
        String rate = o.dir != null ? "" : String.format(Locale.ROOT, ", %.0f%s/s", received.get() / seconds, unit);
        err.printf(Locale.ROOT, "millrace wordcount: %s%d batches in %.1f s%s%n",
            o.dir != null ? "" : received.get() + unit + " received, ", batches.get(), seconds, rate);
        err.flush();
        summarized[0] = true;
      }
    };
    // On SIGINT/SIGTERM the context stops gracefully (stopGracefullyOnShutdown); this hook waits for
    // that stop and then prints the summary before the JVM exits.
    Thread hook = new Thread(() -> {
      ssc.stop(true, true);
      summary.run();
    }, "millrace-wordcount-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    ssc.start();
    Optional<MillraceUi> ui = MillraceUi.of(ssc.ssc());
    ui.ifPresent(u -> {
      err.println("millrace wordcount: web UI at " + u.uri());
      err.flush();
    });
    try {
      if (o.stdin) {
        // Stop at the end of the input, or after --duration.
        Thread waiter = new Thread(() -> {
          try {
            endOfInput.await();
          } catch (InterruptedException e) {
            return;
          }
          ssc.stop(true, true);
        }, "millrace-stdin-end");
        waiter.setDaemon(true);
        waiter.start();
      }
      boolean stopped = o.durationMs > 0 ? ssc.awaitTerminationOrTimeout(o.durationMs) : awaitForever(ssc);
      if (!stopped) {
        ssc.stop(true, true);
      }
    } finally {
      if (sample != null) {
        sample.close();
      }
    }
    summary.run();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running already
    }
    return 0;
  }

  /** The class of the runtime that runs batches on Spark; present when millrace-spark is on the class path. */
  static final String SPARK_RUNTIME = "dev.millrace.spark.internal.SparkRuntimeProvider";

  /**
   * Settings for a cluster master (anything but {@code local[N]}), each unless the user set it:
   * the jars holding this command and the Spark runtime go to the executors ({@code spark.jars},
   * added to any the user gave), and the executors are told Spark's Scala version. For {@code
   * local-cluster[...]}, whose executors run on this machine, the executors also get this JVM's class
   * path minus those jars (standing in for a cluster's installed Spark), so they load Millrace's
   * classes from the shipped jars as on a real cluster.
   *
   * @throws UsageException if millrace-spark is not on the class path
   */
  static void clusterSettings(MillraceConf conf, String master, String classPath) throws UsageException {
    List<String> ship = new ArrayList<>();
    jarOf(WordCount.class).ifPresent(ship::add);
    try {
      jarOf(Class.forName(SPARK_RUNTIME)).ifPresent(ship::add);
    } catch (ClassNotFoundException e) {
      throw new UsageException("--master " + master + " runs on Apache Spark, which needs the millrace-spark module "
          + "and Spark's jars on the class path; bin/millrace adds them when the master is not local (see docs/cli.md)");
    }
    List<String> jars = new ArrayList<>();
    String given = conf.get("spark.jars", null);
    if (given != null && !given.isBlank()) {
      jars.addAll(Arrays.asList(given.split(",")));
    }
    for (String j : ship) {
      if (!jars.contains(j)) {
        jars.add(j);
      }
    }
    if (!jars.isEmpty()) {
      conf.set("spark.jars", String.join(",", jars));
    }
    conf.setIfMissing("spark.executorEnv.SPARK_SCALA_VERSION", "2.13");
    if (master.startsWith("local-cluster") && classPath != null) {
      List<String> rest = new ArrayList<>();
      for (String entry : classPath.split(java.io.File.pathSeparator)) {
        String abs = java.nio.file.Paths.get(entry).toAbsolutePath().toString();
        if (!entry.isEmpty() && !ship.contains(abs)) {
          rest.add(abs);
        }
      }
      conf.setIfMissing("spark.executor.extraClassPath", String.join(java.io.File.pathSeparator, rest));
    }
  }

  /** The absolute path of the jar file {@code c} was loaded from, if it came from a jar file. */
  private static Optional<String> jarOf(Class<?> c) {
    try {
      java.security.CodeSource source = c.getProtectionDomain().getCodeSource();
      if (source == null) {
        return Optional.empty();
      }
      java.nio.file.Path p = java.nio.file.Paths.get(source.getLocation().toURI()).toAbsolutePath();
      return p.toString().endsWith(".jar") && java.nio.file.Files.isRegularFile(p) ? Optional.of(p.toString())
          : Optional.empty();
    } catch (java.net.URISyntaxException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * The values of the topic's records as lines, from a direct stream; each batch's offsets are
   * committed to the group once the batch's outputs ran (the next batch sends them; a stop sends
   * them at once).
   */
  private static JavaInputDStream<ConsumerRecord<String, String>> kafkaStream(JavaStreamingContext ssc, Options o) {
    Map<String, Object> params = new HashMap<>();
    params.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, o.kafka);
    params.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    params.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    params.put(ConsumerConfig.GROUP_ID_CONFIG, o.group != null ? o.group : "millrace-wordcount");
    params.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    params.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    if (o.checkpoint != null) {
      // Static membership: a run restarted with the same checkpoint is the same member of the group
      // and gets its partitions back at once, instead of after the killed run's session expired.
      params.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "millrace-wordcount-"
          + Integer.toHexString(java.nio.file.Paths.get(o.checkpoint).toAbsolutePath().normalize().toString().hashCode()));
    }
    JavaInputDStream<ConsumerRecord<String, String>> stream = KafkaUtils.createDirectStream(ssc,
        LocationStrategies.PreferConsistent(),
        ConsumerStrategies.<String, String>Subscribe(Options.topics(o.topic), params));
    return stream;
  }

  /** A record's value as a line; a record without a value (a tombstone) is no line. */
  static final class RecordValue implements FlatMapFunction<ConsumerRecord<String, String>, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<String> call(ConsumerRecord<String, String> record) {
      String value = record.value();
      return value == null ? java.util.Collections.emptyIterator() : java.util.List.of(value).iterator();
    }
  }

  private static boolean awaitForever(JavaStreamingContext ssc) throws InterruptedException {
    ssc.awaitTermination();
    return true;
  }

  /** Prints one batch as Spark's {@code print(top)} does, records most frequent first. */
  static void printTop(PrintStream out, Time time, List<Tuple2<String, Long>> first, int num) {
    BatchPrinter.print(out, time, first, num);
  }

  /** Splits a line into its whitespace-separated words, as Python's {@code str.split()} does. */
  static final class SplitWords implements dev.millrace.api.java.function.FlatMapFunction<String, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<String> call(String line) {
      List<String> words = new ArrayList<>();
      int n = line.length();
      int i = 0;
      while (i < n) {
        while (i < n && Character.isWhitespace(line.charAt(i))) {
          i++;
        }
        int start = i;
        while (i < n && !Character.isWhitespace(line.charAt(i))) {
          i++;
        }
        if (i > start) {
          words.add(line.substring(start, i));
        }
      }
      return words.iterator();
    }
  }

  /** Greater count first, then the word in reverse order, so that {@code top} lists ties alphabetically. */
  static final class ByCountThenWord implements Comparator<Tuple2<String, Long>>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(Tuple2<String, Long> a, Tuple2<String, Long> b) {
      int c = Long.compare(a._2(), b._2());
      return c != 0 ? c : b._1().compareTo(a._1());
    }
  }
}
