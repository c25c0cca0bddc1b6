package dev.millrace.examples;

import dev.millrace.MillraceConf;
import dev.millrace.Tuple2;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.api.java.JavaDStream;
import dev.millrace.streaming.api.java.JavaInputDStream;
import dev.millrace.streaming.api.java.JavaPairDStream;
import dev.millrace.streaming.api.java.JavaStreamingContext;
import dev.millrace.streaming.kafka010.ConsumerStrategies;
import dev.millrace.streaming.kafka010.KafkaUtils;
import dev.millrace.streaming.kafka010.LocationStrategies;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Counts words in the messages of Kafka topics, every 2 seconds: Spark's {@code
 * JavaDirectKafkaWordCount} with only the imports changed (and a default master, since there is
 * no {@code spark-submit}).
 *
 * <pre>
 * Usage: JavaDirectKafkaWordCount &lt;brokers&gt; &lt;groupId&gt; &lt;topics&gt;
 *   &lt;brokers&gt; is a list of one or more Kafka brokers
 *   &lt;groupId&gt; is a consumer group name to consume from topics
 *   &lt;topics&gt; is a list of one or more kafka topics to consume from
 *
 * java -cp millrace-examples.jar:millrace-kafka.jar:millrace-core.jar:kafka-clients.jar:... \
 *   dev.millrace.examples.JavaDirectKafkaWordCount localhost:9092 wordcount lines
 * </pre>
 */
public final class JavaDirectKafkaWordCount {
  private static final Pattern SPACE = Pattern.compile(" ");

  private JavaDirectKafkaWordCount() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("Usage: JavaDirectKafkaWordCount <brokers> <groupId> <topics>\n"
          + "  <brokers> is a list of one or more Kafka brokers\n"
          + "  <groupId> is a consumer group name to consume from topics\n"
          + "  <topics> is a list of one or more kafka topics to consume from\n\n");
      System.exit(1);
    }

    String brokers = args[0];
    String groupId = args[1];
    String topics = args[2];

    // Create context with a 2 seconds batch interval
    MillraceConf sparkConf = new MillraceConf().setAppName("JavaDirectKafkaWordCount");
    sparkConf.setIfMissing("millrace.master", "local[2]");
    JavaStreamingContext jssc = new JavaStreamingContext(sparkConf, Durations.seconds(2));

    Set<String> topicsSet = new HashSet<>(Arrays.asList(topics.split(",")));
    Map<String, Object> kafkaParams = new HashMap<>();
    kafkaParams.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
    kafkaParams.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    kafkaParams.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    kafkaParams.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);

    // Create direct kafka stream with brokers and topics
    JavaInputDStream<ConsumerRecord<String, String>> messages = KafkaUtils.createDirectStream(
        jssc,
        LocationStrategies.PreferConsistent(),
        ConsumerStrategies.Subscribe(topicsSet, kafkaParams));

    // Get the lines, split them into words, count the words and print
    JavaDStream<String> lines = messages.map(ConsumerRecord::value);
    JavaDStream<String> words = lines.flatMap(x -> Arrays.asList(SPACE.split(x)).iterator());
    JavaPairDStream<String, Integer> wordCounts = words.mapToPair(s -> new Tuple2<>(s, 1))
        .reduceByKey((i1, i2) -> i1 + i2);
    wordCounts.print();

    // Start the computation
    jssc.start();
    jssc.awaitTermination();
  }
}
