package dev.millrace.bench.state;

import dev.millrace.HashPartitioner;
import dev.millrace.api.java.JavaPairRDD;
import dev.millrace.api.java.Optional;
import dev.millrace.streaming.StateSpec;
import dev.millrace.streaming.api.java.JavaPairDStream;

/** The stateful job the local state measurements run: a running count per key, on 2 partitions. */
final class CountingStateJob {
  private CountingStateJob() {}

  /**
   * Adds to {@code input} a running count per key with {@code op} ({@code mapWithState} or {@code
   * updateStateByKey}), starting from {@code initial}, and an output that counts each batch's result.
   */
  static <K> void register(String op, JavaPairDStream<K, Integer> input, JavaPairRDD<K, Long> initial) {
    HashPartitioner partitioner = new HashPartitioner(2);
    if (op.equals("mapWithState")) {
      input.mapWithState(StateSpec.<K, Integer, Long, Long>function((k, v, s) -> {
        long sum = s.getOption().orElse(0L) + v.orElse(0);
        s.update(sum);
        return sum;
      }).initialState(initial).partitioner(partitioner)).foreachRDD(rdd -> {
        rdd.count();
      });
    } else {
      input.<Long>updateStateByKey((values, s) -> Optional.of(s.orElse(0L) + values.size()), partitioner, initial)
          .foreachRDD(rdd -> {
            rdd.count();
          });
    }
  }
}
