package dev.millrace.internal.rdd;

import dev.millrace.Partitioner;
import dev.millrace.Tuple2;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Groups several key/value datasets by key: each output record is a key and, per parent, the list
 * of that parent's values for the key. A parent already partitioned by the same partitioner is
 * read directly; any other is shuffled.
 */
public final class CoGroupedRDD<K> extends RDD<Tuple2<K, List<Object>[]>> {
  private static final long serialVersionUID = 1L;

  private final transient List<RDD<? extends Tuple2<K, ?>>> parents;
  private final Partitioner partitioner;
  private final transient List<Dependency> dependencies = new ArrayList<>();

  @SuppressWarnings({"unchecked", "rawtypes"})
  public CoGroupedRDD(List<RDD<? extends Tuple2<K, ?>>> parents, Partitioner partitioner, String operation) {
    super(parents.get(0).context(), operation);
    this.parents = new ArrayList<>(parents);
    this.partitioner = partitioner;
    for (RDD<? extends Tuple2<K, ?>> p : parents) {
      if (partitioner.equals(p.partitioner())) {
        dependencies.add(new NarrowDependency(p));
      } else {
        dependencies.add(new ShuffleDependency((RDD) p, partitioner, null, false, operation));
      }
    }
  }

  @Override
  public int numPartitions() {
    return partitioner.numPartitions();
  }

  @Override
  public Partitioner partitioner() {
    return partitioner;
  }

  @Override
  public List<Dependency> dependencies() {
    return dependencies;
  }

  @Override
  @SuppressWarnings("unchecked")
  protected Iterator<Tuple2<K, List<Object>[]>> compute(int partition) {
    int n = parents.size();
    Map<Object, List<Object>[]> groups = new HashMap<>();
    for (int i = 0; i < n; i++) {
      Dependency dep = dependencies.get(i);
      if (dep instanceof ShuffleDependency) {
        ShuffleOutput out = ((ShuffleDependency<?, ?, ?>) dep).output();
        for (int m = 0; m < out.numMapPartitions(); m++) {
          PairBuffer b = out.bucket(m, partition);
          if (b == null) {
            continue;
          }
          for (int j = 0; j < b.pairs(); j++) {
            group(groups, b.key(j), n)[i].add(b.value(j));
          }
        }
      } else {
        Iterator<? extends Tuple2<K, ?>> it = parents.get(i).iterator(partition);
        while (it.hasNext()) {
          Tuple2<K, ?> t = it.next();
          group(groups, t._1(), n)[i].add(t._2());
        }
      }
    }
    Iterator<Map.Entry<Object, List<Object>[]>> entries = groups.entrySet().iterator();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return entries.hasNext();
      }

      @Override
      public Tuple2<K, List<Object>[]> next() {
        Map.Entry<Object, List<Object>[]> e = entries.next();
        return new Tuple2<>((K) e.getKey(), e.getValue());
      }
    };
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static List<Object>[] group(Map<Object, List<Object>[]> groups, Object key, int n) {
    List<Object>[] g = groups.get(key);
    if (g == null) {
      g = new List[n];
      for (int i = 0; i < n; i++) {
        g[i] = new ArrayList<>(2);
      }
      groups.put(key, g);
    }
    return g;
  }
}
