package dev.millrace.streaming.recovery;

import dev.millrace.MillraceConf;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.api.java.JavaDStream;
import dev.millrace.streaming.api.java.JavaStreamingContext;
import java.util.Arrays;

/**
 * The job the fault-injection tests run in a child JVM and kill: word counts per batch of a
 * directory or a socket, saved with {@code saveAsTextFiles}, recovered with {@code getOrCreate}.
 *
 * <p>Arguments: {@code files IN_DIR CK_DIR OUT_PREFIX BATCH_MS} or {@code socket HOST:PORT CK_DIR
 * OUT_PREFIX BATCH_MS}. The socket job ({@link AckingSocketReceiver}, acknowledging to the file named by
 * {@code -Djob.ackFile}) enables the write-ahead log. Runs until killed, or, with
 * {@code -Djob.graceful=true}, until its standard input reaches its end and then stops gracefully.
 */
public final class FaultInjectionJob {
  private FaultInjectionJob() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    String source = args[1];
    String ck = args[2];
    String out = args[3];
    long batchMs = Long.parseLong(args[4]);
    JavaStreamingContext ssc = JavaStreamingContext.getOrCreate(ck, () -> {
      MillraceConf conf = new MillraceConf().setMaster("local[2]").setAppName("fault-injection");
      conf.set("spark.streaming.receiver.writeAheadLog.enable", "socket".equals(mode) ? "true" : "false");
      conf.set("spark.streaming.stopGracefullyOnShutdown", System.getProperty("job.stopGracefullyOnShutdown", "false"));
      JavaStreamingContext c = new JavaStreamingContext(conf, Durations.milliseconds(batchMs));
      c.checkpoint(ck);
      JavaDStream<String> lines;
      if ("files".equals(mode)) {
        lines = c.textFileStream(source);
      } else {
        int colon = source.lastIndexOf(':');
        lines = c.receiverStream(new AckingSocketReceiver(source.substring(0, colon),
            Integer.parseInt(source.substring(colon + 1)), System.getProperty("job.ackFile")));
      }
      lines.flatMap(l -> Arrays.asList(l.split(" ")).iterator()).countByValue().saveAsTextFiles(out, null);
      return c;
    });
    ssc.start();
    System.out.println("STARTED");
    System.out.flush();
    if (Boolean.getBoolean("job.graceful")) {
      while (System.in.read() >= 0) {
        // wait for the end of standard input
      }
      ssc.stop(true, true);
      System.out.println("STOPPED");
      System.out.flush();
      return;
    }
    ssc.awaitTermination();
  }
}
