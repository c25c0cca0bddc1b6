package dev.millrace.cli;

import dev.millrace.internal.config.ConfigKey;
import dev.millrace.internal.config.ConfigKeys;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * The {@code millrace} command: {@code millrace wordcount [options]}, {@code millrace conf}. Run through {@code
 * bin/millrace}, which builds this runnable jar on first use.
 */
public final class Millrace {
  private Millrace() {}

  static final String USAGE = """
      Usage: millrace <command> [options]

      Commands:
        wordcount   count the words of a live text stream, batch by batch (see: millrace wordcount --help)
        conf        list every configuration key (for --conf KEY=VALUE) with its default and meaning
        checkpoint  inspect DIR: print what a checkpoint directory holds (see: millrace checkpoint --help)
        help        show this help
      """;

  public static void main(String[] args) {
    configureLogging();
    System.exit(run(args, System.out, System.err, System.console() != null));
  }

  /**
   * Runs a command; returns the exit status. {@code terminal}: standard input and output are a
   * terminal (progress display on).
   */
  static int run(String[] args, PrintStream out, PrintStream err, boolean terminal) {
    if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
      out.print(USAGE);
      return 0;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    switch (args[0]) {
      case "wordcount":
        return WordCount.main(rest, out, err, terminal);
      case "conf":
        out.print(configurationKeys());
        return 0;
      case "checkpoint":
        return CheckpointCommand.main(rest, out, err);
      default:
        err.println("millrace: unknown command '" + args[0] + "'");
        err.print(USAGE);
        return 2;
    }
  }

  /**
   * Every key of {@link ConfigKeys#all()} (the core's and those the modules on the class path
   * contribute, such as Kafka's): name, Spark name, default, description.
   */
  static String configurationKeys() {
    StringBuilder b = new StringBuilder("Configuration keys (set with --conf KEY=VALUE; the spark.* name works too):\n");
    for (ConfigKey<?> key : ConfigKeys.all()) {
      b.append('\n').append("  ").append(key.name()).append("  (").append(key.sparkAlias()).append(")\n")
          .append("      default: ").append(key.defaultText() == null ? "none" : key.defaultText()).append('\n')
          .append("      ").append(key.description()).append('\n');
    }
    return b.toString();
  }

  /** Warnings and errors only, on standard error, unless the user configured otherwise. */
  private static void configureLogging() {
    setIfMissing("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    setIfMissing("org.slf4j.simpleLogger.logFile", "System.err");
    setIfMissing("org.slf4j.simpleLogger.showThreadName", "false");
    setIfMissing("org.slf4j.simpleLogger.showShortLogName", "true");
  }

  private static void setIfMissing(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
