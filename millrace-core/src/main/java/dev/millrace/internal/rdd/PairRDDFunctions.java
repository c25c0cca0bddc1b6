package dev.millrace.internal.rdd;

import dev.millrace.HashPartitioner;
import dev.millrace.MillraceException;
import dev.millrace.Partitioner;
import dev.millrace.Tuple2;
import dev.millrace.api.java.Optional;
import dev.millrace.api.java.function.FlatMapFunction;
import dev.millrace.api.java.function.Function;
import dev.millrace.api.java.function.Function0;
import dev.millrace.api.java.function.Function2;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** The key/value operations on datasets of {@link Tuple2}, with Spark's semantics. */
public final class PairRDDFunctions {
  private PairRDDFunctions() {}

  /**
   * The partitioner Spark picks when none is given: the configured default parallelism if set,
   * else the largest parent's partition count, reusing a parent's partitioner of that size.
   */
  public static Partitioner defaultPartitioner(RDD<?> first, RDD<?>... others) {
    List<RDD<?>> all = new ArrayList<>();
    all.add(first);
    Collections.addAll(all, others);
    int max = 0;
    Partitioner existing = null;
    for (RDD<?> r : all) {
      max = Math.max(max, r.numPartitions());
      if (r.partitioner() != null
          && (existing == null || r.partitioner().numPartitions() > existing.numPartitions())) {
        existing = r.partitioner();
      }
    }
    if (existing != null && existing.numPartitions() >= max) {
      return existing;
    }
    boolean configured = first.context().conf().contains("millrace.default.parallelism");
    return new HashPartitioner(configured ? first.context().defaultParallelism() : Math.max(1, max));
  }

  public static <K, V, C> RDD<Tuple2<K, C>> combineByKey(RDD<Tuple2<K, V>> rdd, Function<V, C> createCombiner,
      Function2<C, V, C> mergeValue, Function2<C, C, C> mergeCombiners, Partitioner partitioner,
      boolean mapSideCombine, String operation) {
    Aggregator<V, C> agg = new Aggregator<>(createCombiner, mergeValue, mergeCombiners);
    if (partitioner.equals(rdd.partitioner())) {
      // Already partitioned by key: combine within each partition, no shuffle (as Spark does).
      return new MapPartitionsRDD<Tuple2<K, V>, Tuple2<K, C>>(rdd, operation, true, (p, in, self) -> {
        CombineMap map = new CombineMap(64);
        try {
          while (in.hasNext()) {
            Tuple2<K, V> t = in.next();
            map.combineValue(t._1(), t._2(), agg.createCombiner(), agg.mergeValue());
          }
        } catch (Exception e) {
          throw self.userFunctionFailed(e);
        }
        @SuppressWarnings("unchecked")
        Iterator<Tuple2<K, C>> it = (Iterator<Tuple2<K, C>>) (Iterator<?>) map.iterator();
        return it;
      });
    }
    return new ShuffledRDD<>(rdd, partitioner, agg, mapSideCombine, operation);
  }

  public static <K, V> RDD<Tuple2<K, V>> reduceByKey(RDD<Tuple2<K, V>> rdd, Function2<V, V, V> f,
      Partitioner partitioner, String operation) {
    return combineByKey(rdd, v -> v, f, f, partitioner, true, operation);
  }

  public static <K, V> RDD<Tuple2<K, Iterable<V>>> groupByKey(RDD<Tuple2<K, V>> rdd, Partitioner partitioner) {
    // As in Spark: no map-side combine, since it would not reduce the data.
    RDD<Tuple2<K, List<V>>> grouped = combineByKey(rdd, v -> {
      List<V> l = new ArrayList<>(4);
      l.add(v);
      return l;
    }, (l, v) -> {
      l.add(v);
      return l;
    }, (a, b) -> {
      a.addAll(b);
      return a;
    }, partitioner, false, "groupByKey");
    @SuppressWarnings("unchecked")
    RDD<Tuple2<K, Iterable<V>>> out = (RDD<Tuple2<K, Iterable<V>>>) (RDD<?>) grouped;
    return out;
  }

  public static <K, V, U> RDD<Tuple2<K, U>> aggregateByKey(RDD<Tuple2<K, V>> rdd, U zero,
      Function2<U, V, U> seqOp, Function2<U, U, U> combOp, Partitioner partitioner) {
    byte[] zeroBytes = JavaSerialization.serialize(zero);
    return combineByKey(rdd, v -> seqOp.call(JavaSerialization.<U>deserialize(zeroBytes), v), seqOp, combOp,
        partitioner, true, "aggregateByKey");
  }

  public static <K, V> RDD<Tuple2<K, V>> foldByKey(RDD<Tuple2<K, V>> rdd, V zero, Function2<V, V, V> f,
      Partitioner partitioner) {
    byte[] zeroBytes = JavaSerialization.serialize(zero);
    return combineByKey(rdd, v -> f.call(JavaSerialization.<V>deserialize(zeroBytes), v), f, f,
        partitioner, true, "foldByKey");
  }

  public static <K, V, W> RDD<Tuple2<K, W>> mapValues(RDD<Tuple2<K, V>> rdd, Function<V, W> f) {
    return new MapPartitionsRDD<>(rdd, "mapValues", true, (p, in, self) -> new NarrowOps.MapValuesIterator<>(in, f, self));
  }

  public static <K, V, W> RDD<Tuple2<K, W>> flatMapValues(RDD<Tuple2<K, V>> rdd, FlatMapFunction<V, W> f) {
    return new MapPartitionsRDD<>(rdd, "flatMapValues", true,
        (p, in, self) -> new NarrowOps.FlatMapValuesIterator<>(in, f, self));
  }

  public static <K, V> RDD<Tuple2<K, V>> partitionBy(RDD<Tuple2<K, V>> rdd, Partitioner partitioner) {
    if (partitioner.equals(rdd.partitioner())) {
      return rdd;
    }
    return new ShuffledRDD<K, V, V>(rdd, partitioner, null, false, "partitionBy");
  }

  /** Groups the values of several datasets by key; the result holds one list per dataset. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static <K> RDD<Tuple2<K, List<Object>[]>> cogroup(List<RDD<? extends Tuple2<K, ?>>> rdds,
      Partitioner partitioner, String operation) {
    return new CoGroupedRDD<>((List) rdds, partitioner, operation);
  }

  @SuppressWarnings("unchecked")
  public static <K, V, W> RDD<Tuple2<K, Tuple2<Iterable<V>, Iterable<W>>>> cogroup(RDD<Tuple2<K, V>> a,
      RDD<Tuple2<K, W>> b, Partitioner partitioner) {
    RDD<Tuple2<K, List<Object>[]>> grouped = cogroup(List.of(a, b), partitioner, "cogroup");
    // Keys stay where they are, so the result keeps the partitioner (Spark uses mapValues here).
    Function<Tuple2<K, List<Object>[]>, Tuple2<K, Tuple2<Iterable<V>, Iterable<W>>>> f =
        t -> new Tuple2<>(t._1(), new Tuple2<>((Iterable<V>) (List<?>) t._2()[0], (Iterable<W>) (List<?>) t._2()[1]));
    return new MapPartitionsRDD<>(grouped, "cogroup", true, (p, in, self) -> new NarrowOps.MapIterator<>(in, f, self));
  }

  /** Inner, left, right or full outer join, as Spark computes it: a cogroup, then the cross product per key. */
  @SuppressWarnings("unchecked")
  public static <K, V, W, R> RDD<Tuple2<K, R>> join(RDD<Tuple2<K, V>> a, RDD<Tuple2<K, W>> b,
      Partitioner partitioner, JoinKind kind) {
    RDD<Tuple2<K, List<Object>[]>> grouped = cogroup(List.of(a, b), partitioner, kind.operation);
    // Keys stay where they are, so the result keeps the partitioner (Spark uses flatMapValues here).
    FlatMapFunction<Tuple2<K, List<Object>[]>, Tuple2<K, R>> pairUp = t -> {
      List<V> left = (List<V>) (List<?>) t._2()[0];
      List<W> right = (List<W>) (List<?>) t._2()[1];
      List<Tuple2<K, R>> out = new ArrayList<>();
      K k = t._1();
      if (left.isEmpty() && right.isEmpty()) {
        return out.iterator();
      }
      switch (kind) {
        case INNER:
          for (V v : left) {
            for (W w : right) {
              out.add(new Tuple2<>(k, (R) new Tuple2<>(v, w)));
            }
          }
          break;
        case LEFT_OUTER:
          for (V v : left) {
            if (right.isEmpty()) {
              out.add(new Tuple2<>(k, (R) new Tuple2<>(v, Optional.empty())));
            }
            for (W w : right) {
              out.add(new Tuple2<>(k, (R) new Tuple2<>(v, Optional.ofNullable(w))));
            }
          }
          break;
        case RIGHT_OUTER:
          for (W w : right) {
            if (left.isEmpty()) {
              out.add(new Tuple2<>(k, (R) new Tuple2<>(Optional.empty(), w)));
            }
            for (V v : left) {
              out.add(new Tuple2<>(k, (R) new Tuple2<>(Optional.ofNullable(v), w)));
            }
          }
          break;
        case FULL_OUTER:
          if (right.isEmpty()) {
            for (V v : left) {
              out.add(new Tuple2<>(k, (R) new Tuple2<>(Optional.ofNullable(v), Optional.empty())));
            }
          } else if (left.isEmpty()) {
            for (W w : right) {
              out.add(new Tuple2<>(k, (R) new Tuple2<>(Optional.empty(), Optional.ofNullable(w))));
            }
          } else {
            for (V v : left) {
              for (W w : right) {
                out.add(new Tuple2<>(k, (R) new Tuple2<>(Optional.ofNullable(v), Optional.ofNullable(w))));
              }
            }
          }
          break;
        default:
          throw new AssertionError(kind);
      }
      return out.iterator();
    };
    return new MapPartitionsRDD<>(grouped, kind.operation, true,
        (p, in, self) -> new NarrowOps.FlatMapIterator<>(in, pairUp, self));
  }

  /** The four joins. */
  public enum JoinKind {
    INNER("join"), LEFT_OUTER("leftOuterJoin"), RIGHT_OUTER("rightOuterJoin"), FULL_OUTER("fullOuterJoin");

    final String operation;

    JoinKind(String operation) {
      this.operation = operation;
    }

    /** The name of the operation, e.g. {@code leftOuterJoin}. */
    public String operation() {
      return operation;
    }
  }

  /**
   * Sorts by key: samples the keys to choose range boundaries, shuffles by range, then sorts each
   * partition, so that partitions in order hold keys in order.
   */
  public static <K, V> RDD<Tuple2<K, V>> sortByKey(RDD<Tuple2<K, V>> rdd, boolean ascending, int numPartitions,
      Comparator<? super K> comparator) {
    @SuppressWarnings("unchecked")
    Comparator<Object> natural = comparator == null
        ? (Comparator<Object> & Serializable) (a, b) -> ((Comparable<Object>) a).compareTo(b)
        : (Comparator<Object>) comparator;
    Comparator<Object> order = failuresNamed(ascending ? natural : natural.reversed(), "sortByKey");
    RangePartitioner partitioner = RangePartitioner.fromSample(rdd, numPartitions, order);
    RDD<Tuple2<K, V>> shuffled = new ShuffledRDD<K, V, V>(rdd, partitioner, null, false, "sortByKey");
    return new MapPartitionsRDD<>(shuffled, "sortByKey", true, (p, in, self) -> {
      List<Tuple2<K, V>> all = new ArrayList<>();
      in.forEachRemaining(all::add);
      all.sort((x, y) -> order.compare(x._1(), y._1()));
      return all.iterator();
    });
  }

  /**
   * A comparator whose failures (a user comparator that throws, keys that are not comparable or
   * null) name the operation, wherever the comparison runs: sampling, partitioning or sorting.
   */
  private static Comparator<Object> failuresNamed(Comparator<Object> order, String operation) {
    // Serializable, as the range partitioner and the sort step travel to a cluster runtime.
    return (Comparator<Object> & Serializable) (a, b) -> {
      try {
        return order.compare(a, b);
      } catch (MillraceException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new MillraceException("User function of operation '" + operation + "' (comparing keys " + a + " and "
            + b + ") failed: " + e, e);
      }
    };
  }

  /** Number of records per key. */
  public static <K, V> Map<K, Long> countByKey(RDD<Tuple2<K, V>> rdd) {
    RDD<Tuple2<K, Long>> ones = mapValues(rdd, v -> 1L);
    Map<K, Long> out = new HashMap<>();
    for (Tuple2<K, Long> t : reduceByKey(ones, Long::sum, new HashPartitioner(Math.max(1, rdd.numPartitions())),
        "countByKey").collect()) {
      out.put(t._1(), t._2());
    }
    return out;
  }

  /** A fresh copy of a zero value per use, so mutable zeros are never shared (as Spark does). */
  static <U> Function0<U> copier(U zero) {
    byte[] bytes = JavaSerialization.serialize(zero);
    return () -> JavaSerialization.deserialize(bytes);
  }
}
