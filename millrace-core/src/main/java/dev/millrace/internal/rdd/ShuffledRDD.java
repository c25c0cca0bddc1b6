package dev.millrace.internal.rdd;

import dev.millrace.Partitioner;
import dev.millrace.Tuple2;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The reduce side of a shuffle: partition {@code r} gathers bucket {@code r} of every map
 * partition and, with an aggregator, merges values or combiners by key.
 */
public final class ShuffledRDD<K, V, C> extends RDD<Tuple2<K, C>> {
  private static final long serialVersionUID = 1L;

  private final transient ShuffleDependency<K, V, C> dependency;

  public ShuffledRDD(RDD<Tuple2<K, V>> parent, Partitioner partitioner, Aggregator<V, C> aggregator,
      boolean mapSideCombine, String operation) {
    super(parent.context(), operation);
    this.dependency = new ShuffleDependency<>(parent, partitioner, aggregator, mapSideCombine, operation);
  }

  @Override
  public int numPartitions() {
    return dependency.partitioner().numPartitions();
  }

  @Override
  public Partitioner partitioner() {
    return dependency.partitioner();
  }

  @Override
  public List<Dependency> dependencies() {
    return List.of(dependency);
  }

  @Override
  @SuppressWarnings("unchecked")
  protected Iterator<Tuple2<K, C>> compute(int partition) {
    ShuffleOutput out = dependency.output();
    if (out == null) {
      throw new IllegalStateException("shuffle of " + this + " has not run");
    }
    Aggregator<V, C> agg = dependency.aggregator();
    if (agg == null) {
      return (Iterator<Tuple2<K, C>>) (Iterator<?>) new BucketIterator(out, partition);
    }
    try {
      List<Tuple2<K, C>> merged = out.reduceOnce(partition, () -> merge(out, agg, partition));
      return merged.iterator();
    } catch (RuntimeException | Error e) {
      // Merging may have mutated some combiners: a retry must run the map side again.
      if (dependency.output() == out) {
        dependency.setOutput(null);
      }
      throw e;
    }
  }

  /** Merges the values or combiners of one reduce partition by key. */
  @SuppressWarnings("unchecked")
  private List<Tuple2<K, C>> merge(ShuffleOutput out, Aggregator<V, C> agg, int partition) {
    int expected = 0;
    for (int m = 0; m < out.numMapPartitions(); m++) {
      PairBuffer b = out.bucket(m, partition);
      expected += b == null ? 0 : b.pairs();
    }
    CombineMap map = new CombineMap(dependency.mapSideCombine() ? expected : expected / 2);
    try {
      for (int m = 0; m < out.numMapPartitions(); m++) {
        PairBuffer b = out.bucket(m, partition);
        if (b == null) {
          continue;
        }
        int n = b.pairs();
        if (dependency.mapSideCombine()) {
          for (int i = 0; i < n; i++) {
            map.mergeCombiner(b.key(i), b.value(i), agg.mergeCombiners());
          }
        } else {
          for (int i = 0; i < n; i++) {
            map.combineValue(b.key(i), b.value(i), agg.createCombiner(), agg.mergeValue());
          }
        }
      }
    } catch (Exception e) {
      throw userFunctionFailed(e);
    }
    List<Tuple2<K, C>> records = new ArrayList<>(map.size());
    Iterator<Tuple2<Object, Object>> it = map.iterator();
    while (it.hasNext()) {
      records.add((Tuple2<K, C>) (Tuple2<?, ?>) it.next());
    }
    return records;
  }

  /** The pairs of one reduce partition, map partition by map partition, without merging. */
  private static final class BucketIterator implements Iterator<Tuple2<Object, Object>> {
    private final List<PairBuffer> buckets = new ArrayList<>();
    private int bucket;
    private int index;

    BucketIterator(ShuffleOutput out, int partition) {
      for (int m = 0; m < out.numMapPartitions(); m++) {
        PairBuffer b = out.bucket(m, partition);
        if (b != null && b.pairs() > 0) {
          buckets.add(b);
        }
      }
    }

    @Override
    public boolean hasNext() {
      while (bucket < buckets.size() && index >= buckets.get(bucket).pairs()) {
        bucket++;
        index = 0;
      }
      return bucket < buckets.size();
    }

    @Override
    public Tuple2<Object, Object> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      PairBuffer b = buckets.get(bucket);
      Tuple2<Object, Object> t = new Tuple2<>(b.key(index), b.value(index));
      index++;
      return t;
    }
  }
}
