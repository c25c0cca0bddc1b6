package dev.millrace.spark.internal;

import org.apache.spark.Partition;
import org.apache.spark.TaskContext;
import org.apache.spark.rdd.RDD;
import scala.Option;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * The Spark RDD that keeps a materialized Millrace dataset (state, a window's value) on the
 * executors: partition for partition its parent's, with the Spark partitioner that wraps the
 * Millrace one, so Spark knows the layout (and a reliable checkpoint of it keeps it). The runtime
 * persists and checkpoints it. Immutable; what Spark requires of an RDD's thread-safety.
 *
 * @param <T> type of the records
 */
final class KeptRDD<T> extends RDD<T> {
  private static final long serialVersionUID = 1L;
  @SuppressWarnings("unchecked")
  private static final ClassTag<Object> ANY = (ClassTag<Object>) (ClassTag<?>) ClassTag$.MODULE$.apply(Object.class);

  private final SparkPartitioner partitioner;

  /**
   * @param parent the RDD computing the dataset's partitions
   * @param partitioner the wrapped partitioner of the dataset, or null if it has none
   */
  @SuppressWarnings("unchecked")
  KeptRDD(RDD<T> parent, SparkPartitioner partitioner) {
    super(parent, (ClassTag<T>) (ClassTag<?>) ANY);
    this.partitioner = partitioner;
  }

  @Override
  @SuppressWarnings("unchecked")
  public scala.collection.Iterator<T> compute(Partition split, TaskContext context) {
    return ((RDD<T>) firstParent(ANY)).iterator(split, context);
  }

  @Override
  public Partition[] getPartitions() {
    return firstParent(ANY).partitions();
  }

  @Override
  public Option<org.apache.spark.Partitioner> partitioner() {
    return Option.apply(partitioner);
  }
}
