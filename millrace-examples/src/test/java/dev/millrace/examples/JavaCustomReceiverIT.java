package dev.millrace.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.MillraceConf;
import dev.millrace.Tuple2;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.api.java.JavaStreamingContext;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class JavaCustomReceiverIT {

  @Test
  void theCustomReceiver_feedsAWordCount_andReconnectsWhenTheServerClosesTheConnection() throws Exception {
    Map<String, Integer> totals = new ConcurrentHashMap<>();
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      MillraceConf conf = new MillraceConf(false).setMaster("local[2]").setAppName("custom")
          .set("millrace.streaming.receiverRestartDelay", "50ms");
      JavaStreamingContext ssc = new JavaStreamingContext(conf, Durations.milliseconds(100));
      try {
        ssc.receiverStream(new JavaCustomReceiver("127.0.0.1", server.getLocalPort()))
            .flatMap(x -> java.util.Arrays.asList(x.split(" ")).iterator())
            .mapToPair(s -> new Tuple2<>(s, 1))
            .reduceByKey(Integer::sum)
            .foreachRDD(rdd -> rdd.collect().forEach(t -> totals.merge(t._1(), t._2(), Integer::sum)));
        ssc.start();
        for (String text : new String[] {"to be or not to be\n", "be quick\n"}) {
          try (Socket s = server.accept()) {
            OutputStream out = s.getOutputStream();
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
          }
        }
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!totals.equals(Map.of("to", 2, "be", 3, "or", 1, "not", 1, "quick", 1))
            && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
      } finally {
        ssc.stop(true, false);
      }
    }
    assertThat(totals).isEqualTo(Map.of("to", 2, "be", 3, "or", 1, "not", 1, "quick", 1));
  }
}
