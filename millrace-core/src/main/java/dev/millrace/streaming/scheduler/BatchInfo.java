package dev.millrace.streaming.scheduler;

import dev.millrace.streaming.Time;
import java.util.Map;
import java.util.Optional;

/**
 * What is known about one batch: its input per stream, when it was submitted, started and
 * finished, and its output operations. Delivered to {@link StreamingListener}s.
 *
 * <p>Times are wall-clock milliseconds of the context's clock. Immutable.
 *
 * @param batchTime the batch's time
 * @param streamIdToInputInfo input of each input stream, by stream id
 * @param submissionTime when the batch's jobs were submitted
 * @param processingStartTime when its first job started, if it has
 * @param processingEndTime when its last job finished, if it has
 * @param outputOperationInfos each output operation, by output operation id
 */
public record BatchInfo(
    Time batchTime,
    Map<Integer, StreamInputInfo> streamIdToInputInfo,
    long submissionTime,
    Optional<Long> processingStartTime,
    Optional<Long> processingEndTime,
    Map<Integer, OutputOperationInfo> outputOperationInfos) {

  public BatchInfo {
    streamIdToInputInfo = Map.copyOf(streamIdToInputInfo);
    outputOperationInfos = Map.copyOf(outputOperationInfos);
  }

  /** Time from submission to the start of processing, once processing started. */
  public Optional<Long> schedulingDelay() {
    return processingStartTime.map(start -> start - submissionTime);
  }

  /** Time from the start to the end of processing, once processing ended. */
  public Optional<Long> processingDelay() {
    return processingEndTime.flatMap(end -> processingStartTime.map(start -> end - start));
  }

  /** Scheduling delay plus processing delay, once processing ended. */
  public Optional<Long> totalDelay() {
    return schedulingDelay().flatMap(s -> processingDelay().map(p -> s + p));
  }

  /** Records received by all input streams for this batch. */
  public long numRecords() {
    long n = 0;
    for (StreamInputInfo info : streamIdToInputInfo.values()) {
      n += info.numRecords();
    }
    return n;
  }
}
