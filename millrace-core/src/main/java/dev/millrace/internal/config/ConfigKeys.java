package dev.millrace.internal.config;

import java.util.List;

/**
 * Every configuration key the engine reads, with its type, default and description.
 *
 * <p>Each key also answers to its {@code spark.*} alias, so a ported {@code SparkConf} keeps
 * working. Optional modules add their keys through {@link ConfigKeyProvider}; {@link #all()} lists
 * the core's keys followed by theirs.
 */
public final class ConfigKeys {
  private ConfigKeys() {}

  public static final ConfigKey<String> MASTER =
      ConfigKey.string("millrace.master", null, "Where to run: local, local[N] or local[*] (N worker threads); with millrace-spark on the classpath also spark://HOST:PORT, local-cluster[...], yarn or k8s://...");

  public static final ConfigKey<String> APP_NAME =
      ConfigKey.string("millrace.app.name", null, "The application's name, shown in logs and the UI.");

  public static final ConfigKey<Integer> DEFAULT_PARALLELISM = ConfigKey.integer(
      "millrace.default.parallelism", 0,
      "Partitions of shuffles and parallelize when none is given; 0 means the number of worker threads.");

  public static final ConfigKey<String> STREAMING_CLOCK = ConfigKey.string(
      "millrace.streaming.clock", "system",
      "The clock that drives batches: 'system', 'manual' (advanced only by tests) or a Clock class name.");

  public static final ConfigKey<Integer> CONCURRENT_JOBS = ConfigKey.integer(
      "millrace.streaming.concurrentJobs", 1, "How many output operations may run at the same time.");

  public static final ConfigKey<Long> BLOCK_INTERVAL = ConfigKey.timeMs(
      "millrace.streaming.blockInterval", "200ms",
      "How often received records are cut into a block; a batch has one partition per block.");

  public static final ConfigKey<Long> RECEIVER_RESTART_DELAY = ConfigKey.timeMs(
      "millrace.streaming.receiverRestartDelay", "2000ms",
      "How long a receiver waits before restarting after an error.");

  public static final ConfigKey<Long> RECEIVER_MAX_RATE = ConfigKey.longValue(
      "millrace.streaming.receiver.maxRate", 0,
      "Most records per second each receiver stores; 0 or less means no limit.");

  public static final ConfigKey<Long> GRACEFUL_STOP_TIMEOUT = ConfigKey.timeMs(
      "millrace.streaming.gracefulStopTimeout", null,
      "Longest a graceful stop waits for received data to be processed; default 10 x batch interval.");

  public static final ConfigKey<Boolean> STOP_GRACEFULLY_ON_SHUTDOWN = ConfigKey.bool(
      "millrace.streaming.stopGracefullyOnShutdown", false,
      "Whether a JVM shutdown (SIGTERM, Ctrl-C) stops the streaming context gracefully.");

  public static final ConfigKey<Boolean> RECEIVER_WAL_ENABLE = ConfigKey.bool(
      "millrace.streaming.receiver.writeAheadLog.enable", false,
      "Whether every block a receiver stores is written to a log in the checkpoint directory before store returns.");

  public static final ConfigKey<Integer> RECEIVER_WAL_ROLLING_INTERVAL = ConfigKey.integer(
      "millrace.streaming.receiver.writeAheadLog.rollingIntervalSecs", 60,
      "Seconds a receiver write-ahead-log segment is appended to before a new one is started.");

  public static final ConfigKey<Long> FILE_STREAM_MIN_REMEMBER = ConfigKey.timeMs(
      "millrace.streaming.fileStream.minRememberDuration", "60s",
      "How old a file in a monitored directory may be and still be picked up as new.");

  public static final ConfigKey<Long> FILE_STREAM_SPLIT_SIZE = ConfigKey.longValue(
      "millrace.streaming.fileStream.splitSize", 32L << 20,
      "Bytes per partition of an uncompressed text file read by a directory stream (larger files are split, as "
          + "Hadoop splits them on a local file system; binary files are split on record boundaries).");

  public static final ConfigKey<Integer> MAX_LINE_LENGTH = ConfigKey.integer(
      "millrace.streaming.maxLineLength", 1 << 20,
      "Longest text line (in characters) a socket or file source accepts; longer lines are reported and skipped.");

  // ---------------------------------------------------------------- web UI and metrics

  public static final ConfigKey<Boolean> UI_ENABLED = ConfigKey.bool(
      "millrace.ui.enabled", true,
      "Whether a running streaming context serves its web UI, REST API and /metrics (needs millrace-ui on the classpath).");

  public static final ConfigKey<Integer> UI_PORT = ConfigKey.integer(
      "millrace.ui.port", 4040,
      "Port of the web UI; when taken, the next free port is used. 0 picks any free port.");

  public static final ConfigKey<String> UI_HOST = ConfigKey.string(
      "millrace.ui.host", "127.0.0.1",
      "Address the web UI binds to; loopback unless set (0.0.0.0 serves every interface).");

  public static final ConfigKey<Integer> PORT_MAX_RETRIES = ConfigKey.integer(
      "millrace.port.maxRetries", 16,
      "How many following ports the web UI tries when its port is taken.");

  public static final ConfigKey<Integer> UI_RETAINED_BATCHES = ConfigKey.integer(
      "millrace.streaming.ui.retainedBatches", 1000,
      "How many completed batches the UI, REST API and metrics remember.");

  // ---------------------------------------------------------------- backpressure

  public static final ConfigKey<Boolean> BACKPRESSURE_ENABLED = ConfigKey.bool(
      "millrace.streaming.backpressure.enabled", false,
      "Whether sources adapt their ingestion rate to what the job processes, keeping scheduling delay bounded.");

  public static final ConfigKey<Long> BACKPRESSURE_INITIAL_RATE = ConfigKey.longValue(
      "millrace.streaming.backpressure.initialRate", 0,
      "Records per second each receiver or Kafka stream takes before the first estimate; 0 means no initial limit.");

  public static final ConfigKey<String> BACKPRESSURE_RATE_ESTIMATOR = ConfigKey.string(
      "millrace.streaming.backpressure.rateEstimator", "pid",
      "How the ingestion rate is estimated; 'pid' is the only estimator.");

  public static final ConfigKey<Double> BACKPRESSURE_PID_PROPORTIONAL = ConfigKey.decimal(
      "millrace.streaming.backpressure.pid.proportional", 1.0,
      "PID estimator: weight of the difference between the last rate and the measured processing rate.");

  public static final ConfigKey<Double> BACKPRESSURE_PID_INTEGRAL = ConfigKey.decimal(
      "millrace.streaming.backpressure.pid.integral", 0.2,
      "PID estimator: weight of the backlog, read from the scheduling delay.");

  public static final ConfigKey<Double> BACKPRESSURE_PID_DERIVED = ConfigKey.decimal(
      "millrace.streaming.backpressure.pid.derived", 0.0,
      "PID estimator: weight of the change of the error since the last batch.");

  public static final ConfigKey<Double> BACKPRESSURE_PID_MIN_RATE = ConfigKey.decimal(
      "millrace.streaming.backpressure.pid.minRate", 100.0,
      "PID estimator: the lowest rate (records per second) it ever estimates.");

  /**
   * Every key: the core's (see {@link #core()}), then those of each {@link ConfigKeyProvider} on
   * the class path, ordered by provider class name. Thread-safe; the providers are loaded once.
   *
   * @throws IllegalStateException if a provider repeats a key name that is already listed
   */
  public static List<ConfigKey<?>> all() {
    return Provided.ALL;
  }

  /** Holds the list, loaded on first use (class initialization makes it thread-safe). */
  private static final class Provided {
    static final List<ConfigKey<?>> ALL = load();

    private static List<ConfigKey<?>> load() {
      List<ConfigKeyProvider> providers = new java.util.ArrayList<>();
      java.util.ServiceLoader.load(ConfigKeyProvider.class, ConfigKeys.class.getClassLoader()).forEach(providers::add);
      providers.sort(java.util.Comparator.comparing(p -> p.getClass().getName()));
      List<ConfigKey<?>> keys = new java.util.ArrayList<>(core());
      java.util.Map<String, String> owner = new java.util.HashMap<>();
      keys.forEach(k -> owner.put(k.name(), "millrace-core"));
      for (ConfigKeyProvider provider : providers) {
        for (ConfigKey<?> key : provider.keys()) {
          String previous = owner.putIfAbsent(key.name(), provider.getClass().getName());
          if (previous != null) {
            throw new IllegalStateException("Configuration key " + key.name() + " of "
                + provider.getClass().getName() + " is already defined by " + previous);
          }
          keys.add(key);
        }
      }
      return List.copyOf(keys);
    }
  }

  /** The core's own keys, in documentation order. */
  public static List<ConfigKey<?>> core() {
    return List.of(MASTER, APP_NAME, DEFAULT_PARALLELISM, STREAMING_CLOCK, CONCURRENT_JOBS,
        BLOCK_INTERVAL, RECEIVER_RESTART_DELAY, RECEIVER_MAX_RATE, GRACEFUL_STOP_TIMEOUT,
        STOP_GRACEFULLY_ON_SHUTDOWN, RECEIVER_WAL_ENABLE, RECEIVER_WAL_ROLLING_INTERVAL, FILE_STREAM_MIN_REMEMBER, FILE_STREAM_SPLIT_SIZE,
        MAX_LINE_LENGTH,
        UI_ENABLED, UI_PORT, UI_HOST, PORT_MAX_RETRIES, UI_RETAINED_BATCHES,
        BACKPRESSURE_ENABLED, BACKPRESSURE_INITIAL_RATE, BACKPRESSURE_RATE_ESTIMATOR,
        BACKPRESSURE_PID_PROPORTIONAL, BACKPRESSURE_PID_INTEGRAL, BACKPRESSURE_PID_DERIVED,
        BACKPRESSURE_PID_MIN_RATE);
  }
}
