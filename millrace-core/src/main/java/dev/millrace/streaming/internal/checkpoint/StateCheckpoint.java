package dev.millrace.streaming.internal.checkpoint;

import java.util.List;
import java.util.Objects;

/**
 * The state of one operator as of one batch, read back from a state checkpoint.
 *
 * @param operatorId the operator's stable id (see {@link StateCheckpointer})
 * @param kind the operation, e.g. {@code updateStateByKey}
 * @param batchTime the batch (ms) whose state this is
 * @param partitions the entries of each partition, in partition order
 */
public record StateCheckpoint(String operatorId, String kind, long batchTime, List<List<StateEntry>> partitions) {
  public StateCheckpoint {
    Objects.requireNonNull(operatorId, "operatorId");
    Objects.requireNonNull(kind, "kind");
    partitions = List.copyOf(partitions);
  }

  /** Number of entries over all partitions. */
  public long size() {
    long n = 0;
    for (List<StateEntry> p : partitions) {
      n += p.size();
    }
    return n;
  }
}
