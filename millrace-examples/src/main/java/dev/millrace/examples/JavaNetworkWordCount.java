package dev.millrace.examples;

import dev.millrace.MillraceConf;
import dev.millrace.Tuple2;
import dev.millrace.storage.StorageLevel;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.api.java.JavaDStream;
import dev.millrace.streaming.api.java.JavaPairDStream;
import dev.millrace.streaming.api.java.JavaReceiverInputDStream;
import dev.millrace.streaming.api.java.JavaStreamingContext;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * Counts the words in UTF-8 text received from the network every second: Spark's {@code
 * JavaNetworkWordCount}, with only the imports changed.
 *
 * <p>Usage: {@code JavaNetworkWordCount <hostname> <port>}. Start a server first, then the example:
 *
 * <pre>
 * nc -lk 9999
 * java -cp millrace-cli/target/millrace.jar dev.millrace.examples.JavaNetworkWordCount localhost 9999
 * </pre>
 */
public final class JavaNetworkWordCount {
  private static final Pattern SPACE = Pattern.compile(" ");

  private JavaNetworkWordCount() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("Usage: JavaNetworkWordCount <hostname> <port>");
      System.exit(1);
    }

    // Create the context with a 1 second batch size
    MillraceConf sparkConf = new MillraceConf().setAppName("JavaNetworkWordCount").setIfMissing("millrace.master",
        "local[2]");
    JavaStreamingContext ssc = new JavaStreamingContext(sparkConf, Durations.seconds(1));

    // Create a JavaReceiverInputDStream on target ip:port and count the words in input stream of \n delimited text
    // Note that no duplication in storage level only for running locally.
    // Replication necessary in distributed scenario for fault tolerance.
    JavaReceiverInputDStream<String> lines = ssc.socketTextStream(
        args[0], Integer.parseInt(args[1]), StorageLevel.MEMORY_AND_DISK_SER());
    JavaDStream<String> words = lines.flatMap(x -> Arrays.asList(SPACE.split(x)).iterator());
    JavaPairDStream<String, Integer> wordCounts = words.mapToPair(s -> new Tuple2<>(s, 1))
        .reduceByKey((i1, i2) -> i1 + i2);

    wordCounts.print();
    ssc.start();
    ssc.awaitTermination();
  }
}
