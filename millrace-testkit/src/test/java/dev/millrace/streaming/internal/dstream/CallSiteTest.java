package dev.millrace.streaming.internal.dstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.api.java.Optional;
import dev.millrace.api.java.function.VoidFunction;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.api.java.JavaDStream;
import dev.millrace.streaming.api.java.JavaPairDStream;
import dev.millrace.streaming.scheduler.OutputOperationInfo;
import dev.millrace.streaming.scheduler.StreamingListener;
import dev.millrace.streaming.scheduler.StreamingListenerOutputOperationCompleted;
import dev.millrace.testkit.StreamingTestHarness;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Call sites name the API method and the user's file and line, as Spark's short form does, for
 * user code in the engine's own packages (this test) too.
 */
class CallSiteTest {
  private static int nextLine() {
    return StackWalker.getInstance().walk(s -> s.skip(1).findFirst()).orElseThrow().getLineNumber() + 1;
  }

  @Test
  void outputOperationInfoName_isTheShortCallSite_ofEachOutput() {
    List<OutputOperationInfo> ops = new CopyOnWriteArrayList<>();
    try (StreamingTestHarness h = StreamingTestHarness.create(Durations.seconds(1))) {
      h.context().addStreamingListener(new StreamingListener() {
        @Override
        public void onOutputOperationCompleted(StreamingListenerOutputOperationCompleted e) {
          ops.add(e.outputOperationInfo());
        }
      });
      JavaDStream<String> in = h.input(List.of(List.of("a")));
      int foreachLine = nextLine();
      in.foreachRDD(rdd -> { });
      h.context().ssc().setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
      int printLine = nextLine();
      in.map(String::length).print();
      h.runBatches(1);
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (ops.size() < 2 && System.nanoTime() < deadline) {
        Thread.onSpinWait(); // listener events arrive on the listener thread
      }
      assertThat(ops).extracting(OutputOperationInfo::name).containsExactly(
          "foreachRDD at CallSiteTest.java:" + foreachLine, "print at CallSiteTest.java:" + printLine);
      // the long form starts at the API method and goes down through this test
      assertThat(ops.get(0).description().split("\n")).hasSizeLessThanOrEqualTo(20);
      assertThat(ops.get(0).description().split("\n")[0])
          .startsWith("dev.millrace.streaming.api.java.JavaDStreamLike.foreachRDD(");
      assertThat(ops.get(0).description().split("\n")[1])
          .contains("CallSiteTest.outputOperationInfoName_isTheShortCallSite_ofEachOutput(CallSiteTest.java:"
              + foreachLine + ")");
    }
  }

  @Test
  void creationSite_ofStatefulAndWindowedStreams_namesTheApiMethod() {
    try (StreamingTestHarness h = StreamingTestHarness.create(Durations.seconds(1))) {
      JavaPairDStream<String, Integer> pairs = h.input(List.of(List.of("a"))).mapToPair(w -> new dev.millrace.Tuple2<>(w, 1));
      int line = nextLine();
      JavaPairDStream<String, Integer> state = pairs.updateStateByKey((List<Integer> v, Optional<Integer> s) -> s);
      assertThat(state.dstream().creationSite()).isEqualTo("updateStateByKey at CallSiteTest.java:" + line);
      int windowLine = nextLine();
      JavaPairDStream<String, Integer> window = pairs.reduceByKeyAndWindow(Integer::sum, Durations.seconds(2));
      assertThat(window.dstream().creationSite()).isEqualTo("reduceByKeyAndWindow at CallSiteTest.java:" + windowLine);
    }
  }

  @Test
  void reflectionFrames_areSkipped_toTheCallerOfInvoke() throws Exception {
    try (StreamingTestHarness h = StreamingTestHarness.create(Durations.seconds(1))) {
      JavaDStream<String> in = h.input(List.of(List.of("a")));
      java.lang.reflect.Method filter = JavaDStream.class.getMethod("filter", dev.millrace.api.java.function.Function.class);
      dev.millrace.api.java.function.Function<String, Boolean> keep = s -> true;
      int line = nextLine();
      JavaDStream<?> filtered = (JavaDStream<?>) filter.invoke(in, keep);
      assertThat(filtered.dstream().creationSite()).isEqualTo("filter at CallSiteTest.java:" + line);
    }
  }

  @Test
  void engineClasses_areTheMainClassesOfDevMillrace_notTestsOrPrograms() {
    assertThat(CallSite.isEngine(JavaDStream.class)).isTrue();
    assertThat(CallSite.isEngine(DStream.class)).isTrue();
    assertThat(CallSite.isEngine(StreamingTestHarness.class)).isTrue();
    assertThat(CallSite.isEngine(VoidFunction.class)).isTrue();
    assertThat(CallSite.isEngine(CallSiteTest.class)).isFalse();
    assertThat(CallSite.isEngine(String.class)).isFalse();
    assertThat(CallSite.isTransparent("org.junit.platform.commons.util.ReflectionUtils")).isTrue();
    assertThat(CallSite.isTransparent("jdk.internal.reflect.DirectMethodHandleAccessor")).isTrue();
    assertThat(CallSite.isTransparent("com.example.WordCount")).isFalse();
  }
}
