package dev.millrace.internal.rdd;

import java.util.Iterator;
import java.util.List;

/**
 * A dataset whose partition {@code p} is a function of partition {@code p} of each of its parents
 * (all with its number of partitions), such as one batch of {@code updateStateByKey} or {@code
 * mapWithState} computed from the previous state and the batch. A runtime that executes plans on a
 * cluster ships the node (its parents stay on the driver, see {@link RDD}) and calls {@link
 * #computeFrom} on the executors with the parents' partitions, which it computes itself.
 *
 * @param <T> type of the records
 */
public interface ZipsParents<T> {

  /**
   * Computes partition {@code partition} from the records of the same partition of each parent, in
   * the order of {@link RDD#dependencies()}. Works on a deserialized node; must not use the context.
   */
  Iterator<T> computeFrom(int partition, List<Iterator<?>> parents);
}
