package dev.millrace.streaming.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.millrace.MillraceConf;
import dev.millrace.MillraceException;
import dev.millrace.api.java.JavaRDD;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.StreamingContextState;
import dev.millrace.streaming.api.java.JavaStreamingContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GetOrCreateTest {
  @TempDir
  Path dir;

  private static MillraceConf conf() {
    return new MillraceConf(false).setMaster("local[2]").setAppName("test").set("millrace.streaming.clock", "manual");
  }

  private JavaStreamingContext create(AtomicInteger calls) {
    calls.incrementAndGet();
    JavaStreamingContext c = new JavaStreamingContext(conf(), Durations.seconds(1));
    c.textFileStream(dir.resolve("in").toString()).print();
    return c;
  }

  @Test
  void withoutACheckpoint_callsTheFactory_andUsesThePathAsCheckpointDirectory() throws Exception {
    Files.createDirectories(dir.resolve("in"));
    AtomicInteger calls = new AtomicInteger();
    JavaStreamingContext c = JavaStreamingContext.getOrCreate(dir.resolve("ck").toString(), () -> create(calls));
    try {
      assertThat(calls).hasValue(1);
      assertThat(c.ssc().checkpointDir()).isEqualTo(dir.resolve("ck").toString());
      assertThat(c.getState()).isEqualTo(StreamingContextState.INITIALIZED);
    } finally {
      c.stop();
    }
  }

  @Test
  void unreadableCheckpoint_failsUnlessCreateOnError() throws Exception {
    Files.createDirectories(dir.resolve("in"));
    Path metadata = Files.createDirectories(dir.resolve("ck").resolve("metadata"));
    Files.write(metadata.resolve("checkpoint-00000000000000000001"), new byte[] {1, 2, 3});
    AtomicInteger calls = new AtomicInteger();
    MillraceException e = assertThrows(MillraceException.class,
        () -> JavaStreamingContext.getOrCreate(dir.resolve("ck").toString(), () -> create(calls)));
    assertThat(e.getMessage()).contains("No readable metadata checkpoint", "truncated");
    assertThat(calls).hasValue(0);
    JavaStreamingContext c = JavaStreamingContext.getOrCreate(dir.resolve("ck").toString(), () -> create(calls), true);
    c.stop();
    assertThat(calls).hasValue(1);
  }

  @Test
  void queueStream_withACheckpointDirectory_failsAtStartAsInSpark() {
    JavaStreamingContext c = new JavaStreamingContext(conf(), Durations.seconds(1));
    try {
      c.checkpoint(dir.toString());
      c.queueStream(new ConcurrentLinkedQueue<JavaRDD<String>>()).print();
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, c::start);
      assertThat(e.getMessage()).isEqualTo("queueStream doesn't support checkpointing. "
          + "Please don't use queueStream when checkpointing is enabled.");
    } finally {
      c.stop();
    }
  }

  @Test
  void writeAheadLog_withoutACheckpointDirectory_failsAtStartAsInSpark() {
    JavaStreamingContext c = new JavaStreamingContext(conf().set("spark.streaming.receiver.writeAheadLog.enable",
        "true"), Durations.seconds(1));
    try {
      c.socketTextStream("127.0.0.1", 9).print();
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, c::start);
      assertThat(e.getMessage()).isEqualTo("Cannot enable receiver write-ahead log without checkpoint directory set. "
          + "Please use streamingContext.checkpoint() to set the checkpoint directory.");
    } finally {
      c.stop();
    }
  }

  @Test
  void directoryStream_whoseIdNowNamesAnotherDirectory_failsAtStartNamingBoth() throws Exception {
    Path a = Files.createDirectories(dir.resolve("a"));
    Path b = Files.createDirectories(dir.resolve("b"));
    String ck = dir.resolve("ck").toString();
    try (dev.millrace.testkit.StreamingTestHarness h =
        dev.millrace.testkit.StreamingTestHarness.create(Durations.seconds(1))) {
      h.context().checkpoint(ck);
      h.collect(h.context().textFileStream(a.toString()));
      h.runBatches(2);
    }
    try (dev.millrace.testkit.StreamingTestHarness h =
        dev.millrace.testkit.StreamingTestHarness.create(Durations.seconds(1))) {
      h.collect(h.context().textFileStream(b.toString()));
      h.recoverFrom(ck);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, h::start);
      assertThat(e.getMessage()).contains("input-textFileStream-0", "read directory " + a, "this one reads " + b,
          "name(String)");
    }
  }
}
