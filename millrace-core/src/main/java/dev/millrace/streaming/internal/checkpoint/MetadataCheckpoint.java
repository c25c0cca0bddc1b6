package dev.millrace.streaming.internal.checkpoint;

import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a metadata checkpoint holds: data only, no object graph and no closures.
 *
 * @param batchIntervalMs the context's batch interval
 * @param zeroTimeMs the zero time of the graph (the first batch is one interval later)
 * @param checkpointTimeMs the newest batch time generated when this was written
 * @param lastCompletedMs the newest completed batch time, or -1
 * @param pendingTimesMs batches generated but not completed, oldest first; re-run first on recovery
 * @param inputs the progress of each input stream that saves progress
 * @param operators the stateful operators and their latest state checkpoint
 */
public record MetadataCheckpoint(long batchIntervalMs, long zeroTimeMs, long checkpointTimeMs, long lastCompletedMs,
    List<Long> pendingTimesMs, List<InputProgress> inputs, List<OperatorState> operators) {
  public MetadataCheckpoint {
    if (batchIntervalMs <= 0) {
      throw new IllegalArgumentException("batchIntervalMs must be positive, was " + batchIntervalMs);
    }
    pendingTimesMs = List.copyOf(pendingTimesMs);
    inputs = List.copyOf(inputs);
    operators = List.copyOf(operators);
  }

  /**
   * One input stream's progress.
   *
   * @param operatorId the stream's stable id
   * @param operation the operation that made it, e.g. {@code textFileStream}
   * @param kind {@link SourceProgress#progressKind()}
   * @param version {@link SourceProgress#progressVersion()}
   * @param streamProgress {@link SourceProgress#encodeStreamProgress()}
   * @param batches per batch time (ms), the encoded progress
   * @param descriptions per batch time (ms), the one-line summary
   */
  public record InputProgress(String operatorId, String operation, String kind, int version, byte[] streamProgress,
      SortedMap<Long, byte[]> batches, SortedMap<Long, String> descriptions) {
    public InputProgress {
      Objects.requireNonNull(operatorId, "operatorId");
      Objects.requireNonNull(operation, "operation");
      Objects.requireNonNull(kind, "kind");
      streamProgress = streamProgress.clone();
      batches = new TreeMap<>(batches);
      descriptions = new TreeMap<>(descriptions);
    }
  }

  /**
   * One stateful operator.
   *
   * @param operatorId the operator's stable id
   * @param kind e.g. {@code updateStateByKey}
   * @param stateTimeMs the batch of its newest committed state checkpoint, or -1 if none yet
   */
  public record OperatorState(String operatorId, String kind, long stateTimeMs) {
    public OperatorState {
      Objects.requireNonNull(operatorId, "operatorId");
      Objects.requireNonNull(kind, "kind");
    }
  }
}
