package dev.millrace.examples;

import dev.millrace.MillraceConf;
import dev.millrace.Tuple2;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.api.java.JavaDStream;
import dev.millrace.streaming.api.java.JavaPairDStream;
import dev.millrace.streaming.api.java.JavaStreamingContext;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * Counts the words in the new text files of a directory every two seconds: Spark's {@code
 * HdfsWordCount} in Java, on a local directory.
 *
 * <p>Usage: {@code JavaDirectoryWordCount <directory>}. Write each file elsewhere and move it in
 * (a move within one file system is atomic), so that it is read whole:
 *
 * <pre>
 * java -cp millrace-cli/target/millrace.jar dev.millrace.examples.JavaDirectoryWordCount /tmp/in
 * echo "to be or not to be" > /tmp/staging.txt &amp;&amp; mv /tmp/staging.txt /tmp/in/1.txt
 * </pre>
 *
 * <p>Files already in the directory at start, files whose names start with a dot, and files last
 * modified more than {@code spark.streaming.fileStream.minRememberDuration} (60 s) ago are ignored;
 * {@code .gz} files are decompressed.
 */
public final class JavaDirectoryWordCount {
  private static final Pattern SPACE = Pattern.compile(" ");

  private JavaDirectoryWordCount() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("Usage: JavaDirectoryWordCount <directory>");
      System.exit(1);
    }
    MillraceConf sparkConf = new MillraceConf().setAppName("JavaDirectoryWordCount").setIfMissing("millrace.master",
        "local[2]");
    JavaStreamingContext ssc = new JavaStreamingContext(sparkConf, Durations.seconds(2));

    JavaDStream<String> lines = ssc.textFileStream(args[0]);
    JavaDStream<String> words = lines.flatMap(x -> Arrays.asList(SPACE.split(x)).iterator());
    JavaPairDStream<String, Integer> wordCounts = words.mapToPair(s -> new Tuple2<>(s, 1))
        .reduceByKey((i1, i2) -> i1 + i2);
    wordCounts.print();

    ssc.start();
    ssc.awaitTermination();
  }
}
