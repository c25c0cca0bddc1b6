package dev.millrace.internal.rdd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.HashPartitioner;
import dev.millrace.Tuple2;
import dev.millrace.api.java.JavaMillraceContext;
import dev.millrace.api.java.JavaPairRDD;
import dev.millrace.api.java.JavaRDD;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How the local runtime executes plans: fused narrow operations, stages at shuffles, worker threads. */
class PlanExecutionTest {
  private JavaMillraceContext sc;

  @BeforeEach
  void start() {
    sc = new JavaMillraceContext("local[3]", "plans");
  }

  @AfterEach
  void stop() {
    sc.stop();
  }

  @Test
  void narrowOperations_runAsOnePassPerRecord() {
    List<String> calls = Collections.synchronizedList(new ArrayList<>());
    JavaRDD<Integer> r = sc.parallelize(List.of(1, 2), 1)
        .map(x -> {
          calls.add("map " + x);
          return x * 10;
        })
        .filter(x -> {
          calls.add("filter " + x);
          return true;
        })
        .map(x -> {
          calls.add("map2 " + x);
          return x + 1;
        });
    assertThat(r.collect()).containsExactly(11, 21);
    // Record by record through the whole chain, not operation by operation.
    assertThat(calls).containsExactly("map 1", "filter 10", "map2 10", "map 2", "filter 20", "map2 20");
  }

  @Test
  void transformations_areLazy() {
    AtomicInteger calls = new AtomicInteger();
    JavaRDD<Integer> r = sc.parallelize(List.of(1, 2, 3), 2).map(x -> {
      calls.incrementAndGet();
      return x;
    }).filter(x -> x > 1);
    assertThat(calls.get()).isZero();
    assertThat(r.count()).isEqualTo(2);
    assertThat(calls.get()).isEqualTo(3);
  }

  @Test
  void shuffle_runsItsMapSideOnce_forSeveralActions() {
    AtomicInteger calls = new AtomicInteger();
    JavaPairRDD<String, Integer> counts = sc.parallelize(List.of("a", "b", "a"), 2)
        .mapToPair(w -> {
          calls.incrementAndGet();
          return new Tuple2<>(w, 1);
        }).reduceByKey(Integer::sum);
    assertThat(counts.count()).isEqualTo(2);
    assertThat(counts.collectAsMap()).containsEntry("a", 2).containsEntry("b", 1);
    assertThat(calls.get()).isEqualTo(3);
  }

  @Test
  void tasks_runOnSeveralWorkerThreads() {
    Set<String> threads = ConcurrentHashMap.newKeySet();
    java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(3);
    sc.parallelize(List.of(1, 2, 3), 3).foreach(x -> {
      threads.add(Thread.currentThread().getName());
      // Three partitions on local[3] run at the same time, or this barrier never opens.
      together.await(10, java.util.concurrent.TimeUnit.SECONDS);
    });
    assertThat(threads).hasSize(3);
  }

  @Test
  void mapSideCombine_mergesBeforeTheShuffle() {
    JavaPairRDD<String, Integer> pairs = sc.parallelizePairs(Arrays.asList(
        new Tuple2<>("a", 1), new Tuple2<>("a", 2), new Tuple2<>("b", 3), new Tuple2<>("a", 4)), 2);
    ShuffledRDD<?, ?, ?> shuffled = (ShuffledRDD<?, ?, ?>) pairs.reduceByKey(Integer::sum, 2).rdd();
    // A job over no partitions runs just the map side.
    shuffled.context().runtime().runJob(shuffled, (p, in) -> null, new int[0]);
    ShuffleDependency<?, ?, ?> dep = (ShuffleDependency<?, ?, ?>) shuffled.dependencies().get(0);
    int pairsWritten = 0;
    for (int m = 0; m < dep.output().numMapPartitions(); m++) {
      for (int r = 0; r < 2; r++) {
        PairBuffer b = dep.output().bucket(m, r);
        pairsWritten += b == null ? 0 : b.pairs();
      }
    }
    // Map partition 0 holds (a,1)(a,2) -> one pair; partition 1 holds (b,3)(a,4) -> two pairs.
    assertThat(pairsWritten).isEqualTo(3);
    assertThat(shuffled.collect()).hasSize(2);
  }

  @Test
  void shuffleRead_twice_givesTheSameResult_evenWithMutableCombiners() {
    JavaPairRDD<String, List<Integer>> lists = sc.parallelizePairs(Arrays.asList(
        new Tuple2<>("a", 1), new Tuple2<>("a", 2), new Tuple2<>("a", 3)), 3)
        .combineByKey(v -> new ArrayList<>(List.of(v)), (l, v) -> {
          l.add(v);
          return l;
        }, (l1, l2) -> {
          l1.addAll(l2);
          return l1;
        });
    assertThat(lists.collectAsMap().get("a")).containsExactlyInAnyOrder(1, 2, 3);
    assertThat(lists.collectAsMap().get("a")).containsExactlyInAnyOrder(1, 2, 3);
    assertThat(lists.count()).isEqualTo(1);
  }

  @Test
  void combineMap_handlesNullKeyAndGrowth() throws Exception {
    CombineMap map = new CombineMap(1);
    for (int i = 0; i < 1000; i++) {
      map.combineValue(i % 100 == 0 ? null : i % 250, 1, v -> v, (dev.millrace.api.java.function.Function2<Integer, Integer, Integer>) Integer::sum);
    }
    // Keys: null (i = 0, 100, ..., 900) and 0..249 (i % 250 for the other 990 records).
    assertThat(map.size()).isEqualTo(251);
    java.util.Map<Object, Object> all = new java.util.HashMap<>();
    map.forEach(all::put);
    assertThat(all.get(null)).isEqualTo(10);
    // Key 1 comes from i = 1, 251, 501, 751.
    assertThat(all.get(1)).isEqualTo(4);
    int total = 0;
    for (Object v : all.values()) {
      total += (Integer) v;
    }
    assertThat(total).isEqualTo(1000);
  }

  @Test
  void hashPartitioner_isSparksRule() {
    HashPartitioner p = new HashPartitioner(4);
    assertThat(p.getPartition(null)).isZero();
    assertThat(p.getPartition(6)).isEqualTo(2);
    assertThat(p.getPartition(-1)).isEqualTo(3);
    assertThat(p.getPartition("a")).isEqualTo("a".hashCode() % 4);
    assertThat(new HashPartitioner(4)).isEqualTo(p).isNotEqualTo(new HashPartitioner(5));
  }
}
