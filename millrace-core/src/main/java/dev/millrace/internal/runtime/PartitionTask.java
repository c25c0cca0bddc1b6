package dev.millrace.internal.runtime;

import java.io.Serializable;
import java.util.Iterator;

/**
 * The last step of a job, run once per partition on the partition's records: collect them, count
 * them, write them, hand them to a user function.
 */
@FunctionalInterface
public interface PartitionTask<T, U> extends Serializable {
  U run(int partition, Iterator<T> records) throws Exception;
}
