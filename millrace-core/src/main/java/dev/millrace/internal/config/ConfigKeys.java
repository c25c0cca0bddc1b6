package dev.millrace.internal.config;

import java.util.List;

/**
 * Every configuration key the engine reads, with its type, default and description.
 *
 * <p>Each key also answers to its {@code spark.*} alias, so a ported {@code SparkConf} keeps
 * working.
 */
public final class ConfigKeys {
  private ConfigKeys() {}

  public static final ConfigKey<String> MASTER =
      ConfigKey.string("millrace.master", null, "Where to run: local, local[N] or local[*] (N worker threads).");

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

  public static final ConfigKey<Long> FILE_STREAM_MIN_REMEMBER = ConfigKey.timeMs(
      "millrace.streaming.fileStream.minRememberDuration", "60s",
      "How old a file in a monitored directory may be and still be picked up as new.");

  public static final ConfigKey<Integer> MAX_LINE_LENGTH = ConfigKey.integer(
      "millrace.streaming.maxLineLength", 1 << 20,
      "Longest text line (in characters) a socket or file source accepts; longer lines are reported and skipped.");

  /** Every key, in documentation order. */
  public static List<ConfigKey<?>> all() {
    return List.of(MASTER, APP_NAME, DEFAULT_PARALLELISM, STREAMING_CLOCK, CONCURRENT_JOBS,
        BLOCK_INTERVAL, RECEIVER_RESTART_DELAY, RECEIVER_MAX_RATE, GRACEFUL_STOP_TIMEOUT,
        STOP_GRACEFULLY_ON_SHUTDOWN, FILE_STREAM_MIN_REMEMBER, MAX_LINE_LENGTH);
  }
}
