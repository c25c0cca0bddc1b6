package dev.millrace.internal.rdd;

import dev.millrace.Partitioner;
import dev.millrace.Tuple2;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Partitions keys into ordered ranges, so that sorting each partition sorts the whole dataset.
 * Boundaries come from a sample of the keys.
 */
public final class RangePartitioner extends Partitioner {
  private static final long serialVersionUID = 1L;
  private static final int SAMPLE_PER_PARTITION = 60;

  private final Object[] bounds;
  private final Comparator<Object> order;

  private RangePartitioner(Object[] bounds, Comparator<Object> order) {
    this.bounds = bounds;
    this.order = order;
  }

  /** Samples up to 60 keys per output partition from each input partition and picks boundaries. */
  static <K, V> RangePartitioner fromSample(RDD<Tuple2<K, V>> rdd, int partitions, Comparator<Object> order) {
    if (partitions <= 1 || rdd.numPartitions() == 0) {
      return new RangePartitioner(new Object[0], order);
    }
    int perInput = Math.max(1, SAMPLE_PER_PARTITION * partitions / rdd.numPartitions() + 1);
    List<List<Object>> samples = rdd.context().runtime().runJob(rdd, (p, in) -> {
      // Reservoir sampling with a seed per partition: the same input gives the same bounds.
      java.util.Random random = new java.util.Random(p);
      List<Object> reservoir = new ArrayList<>();
      long seen = 0;
      while (in.hasNext()) {
        Object k = in.next()._1();
        seen++;
        if (reservoir.size() < perInput) {
          reservoir.add(k);
        } else {
          long j = (long) (random.nextDouble() * seen);
          if (j < perInput) {
            reservoir.set((int) j, k);
          }
        }
      }
      return reservoir;
    }, rdd.allPartitions());
    List<Object> all = new ArrayList<>();
    samples.forEach(all::addAll);
    if (all.isEmpty()) {
      return new RangePartitioner(new Object[0], order);
    }
    all.sort(order);
    List<Object> bounds = new ArrayList<>();
    for (int i = 1; i < partitions; i++) {
      Object candidate = all.get((int) ((long) i * all.size() / partitions));
      if (bounds.isEmpty() || order.compare(bounds.get(bounds.size() - 1), candidate) < 0) {
        bounds.add(candidate);
      }
    }
    return new RangePartitioner(bounds.toArray(), order);
  }

  @Override
  public int numPartitions() {
    return bounds.length + 1;
  }

  @Override
  public int getPartition(Object key) {
    int lo = 0;
    int hi = bounds.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (order.compare(key, bounds[mid]) > 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RangePartitioner && Arrays.equals(bounds, ((RangePartitioner) o).bounds)
        && Objects.equals(order, ((RangePartitioner) o).order);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bounds);
  }
}
