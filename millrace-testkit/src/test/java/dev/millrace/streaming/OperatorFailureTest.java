package dev.millrace.streaming;

import dev.millrace.HashPartitioner;
import dev.millrace.Tuple2;
import dev.millrace.api.java.JavaRDD;
import dev.millrace.streaming.api.java.JavaDStream;
import dev.millrace.streaming.api.java.JavaDStreamLike;
import dev.millrace.streaming.api.java.JavaPairDStream;
import dev.millrace.testkit.StreamingTestHarness;
import java.io.Serializable;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every stream operation that takes a user function: when the function throws, the batch fails
 * with an error that names the batch time, the stream and the operation, and carries the user's
 * exception as its cause.
 */
class OperatorFailureTest extends StreamingTestBase {

  private static JavaDStream<String> in(StreamingTestHarness h) {
    return h.input(List.of(List.of("a", "b", "a")));
  }

  private static JavaPairDStream<String, Integer> pairs(StreamingTestHarness h) {
    return in(h).mapToPair(w -> new Tuple2<>(w, 1));
  }

  /** A key whose hashCode throws, so that a shuffle fails while partitioning. */
  static final class BadKey implements Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int hashCode() {
      throw new Boom();
    }

    @Override
    public boolean equals(Object o) {
      return o == this;
    }
  }

  private static Arguments of(String name, String stream, String operator,
      Function<StreamingTestHarness, JavaDStreamLike<?, ?, ?>> build) {
    return Arguments.of(Named.of(name, build), stream, operator);
  }

  static Stream<Arguments> failingOperations() {
    return Stream.of(
        of("map", "(map)", "'map'", h -> in(h).map(w -> boom())),
        of("mapToPair", "(map)", "'map'", h -> in(h).mapToPair(w -> boom())),
        of("flatMap", "(flatMap)", "'flatMap'", h -> in(h).flatMap(w -> boom())),
        of("flatMapToPair", "(flatMap)", "'flatMap'", h -> in(h).flatMapToPair(w -> boom())),
        of("filter", "(filter)", "'filter'", h -> in(h).filter(w -> boom())),
        of("mapPartitions", "(mapPartitions)", "'mapPartitions'", h -> in(h).mapPartitions(it -> boom())),
        of("mapPartitionsToPair", "(mapPartitions)", "'mapPartitions'",
            h -> in(h).mapPartitionsToPair(it -> boom())),
        of("reduce", "(reduce)", "'reduce'", h -> in(h).reduce((a, b) -> boom())),
        of("reduceByKey", "(reduceByKey)", "'reduceByKey'", h -> pairs(h).reduceByKey((a, b) -> boom())),
        of("reduceByKey with partitioner", "(reduceByKey)", "'reduceByKey'",
            h -> pairs(h).reduceByKey((a, b) -> boom(), new HashPartitioner(3))),
        of("combineByKey, createCombiner", "(combineByKey)", "'combineByKey'",
            h -> pairs(h).combineByKey(v -> boom(), (c, v) -> c, (c1, c2) -> c1, new HashPartitioner(2))),
        of("combineByKey, mergeCombiners", "(combineByKey)", "'combineByKey'",
            h -> h.pairInput(List.of(List.of(new Tuple2<>("a", 1), new Tuple2<>("a", 2)))).combineByKey(
                v -> v, (Integer c, Integer v) -> c, (c1, c2) -> boom(), new HashPartitioner(2))),
        of("groupByKey, key hashCode", "(groupByKey)", "'groupByKey'",
            h -> in(h).mapToPair(w -> new Tuple2<>(new BadKey(), w)).groupByKey()),
        of("mapValues", "(mapValues)", "'mapValues'", h -> pairs(h).mapValues(v -> boom())),
        of("flatMapValues", "(flatMapValues)", "'flatMapValues'", h -> pairs(h).flatMapValues(v -> boom())),
        of("transform", "(transform)", "'transform'", h -> in(h).transform(rdd -> boom())),
        of("transform with time", "(transform)", "'transform'", h -> in(h).transform((rdd, t) -> boom())),
        of("transform, lazy function", "(transform)", "'map'",
            h -> in(h).transform(rdd -> rdd.map(w -> DatasetFunctions.fail(w)))),
        of("transformToPair", "(transformToPair)", "'transformToPair'", h -> in(h).transformToPair(rdd -> boom())),
        of("transformWith", "(transformWith)", "'transformWith'",
            h -> in(h).transformWith(in(h), (JavaRDD<String> a, JavaRDD<String> b, Time t) -> boom())),
        of("transformWithToPair", "(transformWithToPair)", "'transformWithToPair'",
            h -> in(h).transformWithToPair(in(h), (JavaRDD<String> a, JavaRDD<String> b, Time t) -> boom())),
        of("context transform", "(transform)", "'transform'",
            h -> h.context().transform(List.of(in(h)), (rdds, t) -> boom())),
        of("context transformToPair", "(transformToPair)", "'transformToPair'",
            h -> h.context().transformToPair(List.of(in(h)), (rdds, t) -> boom())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failingOperations")
  void throwingUserFunction_failsTheBatch_namingTimeStreamAndOperation(
      Function<StreamingTestHarness, JavaDStreamLike<?, ?, ?>> build, String stream, String operator) {
    assertFirstBatchFails(stream, operator, build.apply(h));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failingOutputs")
  void throwingOutputFunction_failsTheBatch_namingTimeAndOutputOperation(
      Function<StreamingTestHarness, Runnable> define, String ignored, String operator) {
    define.apply(h).run();
    Exception e = org.junit.jupiter.api.Assertions.assertThrows(dev.millrace.MillraceException.class,
        () -> h.runBatches(1));
    org.assertj.core.api.Assertions.assertThat(e.getMessage()).contains("1000 ms").contains(operator)
        .contains("output operation 0");
    org.assertj.core.api.Assertions.assertThat(rootCause(e)).isInstanceOf(Boom.class);
  }

  static Stream<Arguments> transformsReturningNull() {
    return Stream.of(
        Arguments.of(Named.of("transform", (Function<StreamingTestHarness, JavaDStreamLike<?, ?, ?>>)
            h -> in(h).transform(rdd -> null)), "(transform)"),
        Arguments.of(Named.of("transform with time", (Function<StreamingTestHarness, JavaDStreamLike<?, ?, ?>>)
            h -> in(h).transform((rdd, t) -> null)), "(transform)"),
        Arguments.of(Named.of("transformToPair", (Function<StreamingTestHarness, JavaDStreamLike<?, ?, ?>>)
            h -> in(h).transformToPair(rdd -> null)), "(transformToPair)"),
        Arguments.of(Named.of("transformWith", (Function<StreamingTestHarness, JavaDStreamLike<?, ?, ?>>)
            h -> in(h).transformWith(in(h), (JavaRDD<String> a, JavaRDD<String> b, Time t) -> null)),
            "(transformWith)"),
        Arguments.of(Named.of("context transform", (Function<StreamingTestHarness, JavaDStreamLike<?, ?, ?>>)
            h -> h.context().transform(List.of(in(h)), (rdds, t) -> null)), "(transform)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("transformsReturningNull")
  void transformReturningNull_failsTheBatch_sayingSo(
      Function<StreamingTestHarness, JavaDStreamLike<?, ?, ?>> build, String stream) {
    build.apply(h).dstream().foreachRDD((rdd, time) -> rdd.collect(), "collect");
    Exception e = org.junit.jupiter.api.Assertions.assertThrows(dev.millrace.MillraceException.class,
        () -> h.runBatches(1));
    org.assertj.core.api.Assertions.assertThat(e.getMessage()).contains("1000 ms").contains(stream)
        .contains("returned null");
  }

  static Stream<Arguments> failingOutputs() {
    return Stream.of(
        Arguments.of(Named.of("foreachRDD", (Function<StreamingTestHarness, Runnable>)
            h -> () -> in(h).foreachRDD(rdd -> boom())), "", "foreachRDD"),
        Arguments.of(Named.of("foreachRDD with time", (Function<StreamingTestHarness, Runnable>)
            h -> () -> in(h).foreachRDD((rdd, t) -> boom())), "", "foreachRDD"),
        Arguments.of(Named.of("foreachRDD, foreach on the dataset", (Function<StreamingTestHarness, Runnable>)
            h -> () -> in(h).foreachRDD(rdd -> rdd.foreach(w -> boom()))), "", "'foreach'"));
  }

  /** Functions used inside datasets of a stream. */
  static final class DatasetFunctions {
    private DatasetFunctions() {}

    static String fail(String w) {
      throw new Boom();
    }
  }
}
