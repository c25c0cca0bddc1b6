package dev.millrace.streaming.internal.checkpoint;

import dev.millrace.streaming.Time;
import java.util.List;
import java.util.SortedMap;

/**
 * Implemented by an input stream whose per-batch progress can be saved in a metadata checkpoint
 * and restored after a restart, so that the batches of a checkpoint can be re-run exactly.
 *
 * <p>Progress is data, never an object graph: the stream encodes what it fixed for a batch (the
 * files of a directory stream, the write-ahead-log ranges of a receiver, the offset ranges of a
 * Kafka direct stream) into bytes in a format of its own, versioned by {@link #progressVersion()}.
 * The engine stores the bytes under the stream's stable operator id together with {@link
 * #progressKind()}; on recovery it hands them back to the stream with the same id in the rebuilt
 * graph, before the stream is started.
 *
 * <p>Contract, in the order the engine calls it:
 *
 * <ol>
 *   <li>{@link #restoreProgress} (only on recovery), before {@code start()};
 *   <li>after each batch is generated and after each batch completes, {@link #progressTimes} then
 *       {@link #encodeProgress} / {@link #describeProgress} for each time returned, and {@link
 *       #encodeStreamProgress()} once.
 * </ol>
 *
 * <p>A stream restored with the progress of batch T must produce the same data for T when it is
 * computed again. Threading: the engine calls these methods from the batch generator thread and
 * from job threads, never concurrently (calls are serialized by the checkpoint writer), but
 * concurrently with {@code compute}, so implementations guard their maps.
 *
 * <p>A stream that does not implement this interface has no progress to save: after a restart its
 * re-run batches are computed afresh (receivers without the write-ahead log). Queue streams cannot
 * be checkpointed at all.
 */
public interface SourceProgress {
  /**
   * Names the encoding, e.g. {@code files}, {@code receiver-wal}, {@code kafka-offsets}. Recovery
   * fails when the stream with the same id in the rebuilt graph has another kind.
   */
  String progressKind();

  /** Version of the encoding this build writes; {@link #restoreProgress} gets the version that was written. */
  int progressVersion();

  /**
   * The batch times whose progress belongs in the checkpoint being written, oldest first: at least
   * every generated batch from {@code oldestNeeded} on that this stream still knows.
   *
   * @param oldestNeeded the oldest batch time the engine may re-run or recompute on recovery
   *     (pending batches, and batches after the latest state checkpoint of a stateful operator)
   */
  List<Time> progressTimes(Time oldestNeeded);

  /** The progress of batch {@code batchTime}, one of {@link #progressTimes}' times. */
  byte[] encodeProgress(Time batchTime);

  /** A one-line human-readable summary of batch {@code batchTime}'s progress, shown by {@code checkpoint inspect}. */
  String describeProgress(Time batchTime);

  /** Stream-wide progress not tied to a batch (e.g. a position up to which everything was allocated); may be empty. */
  default byte[] encodeStreamProgress() {
    return new byte[0];
  }

  /**
   * Called after a checkpoint holding the progress of every batch from {@code oldestNeeded} on was
   * durably written: data of older batches is no longer needed for recovery (a receiver deletes its
   * old write-ahead-log segments here; a Kafka stream may commit offsets).
   */
  default void checkpointWritten(Time oldestNeeded) {}

  /**
   * Restores the progress read from a checkpoint.
   *
   * @param version the {@link #progressVersion()} that wrote it
   * @param streamProgress what {@link #encodeStreamProgress()} returned
   * @param batches per batch time, what {@link #encodeProgress} returned
   * @param checkpointTime the newest batch time generated when the checkpoint was written; every batch
   *     up to it that is not in {@code batches} completed before
   * @throws IllegalArgumentException naming the stream if {@code version} is not readable by this build
   */
  void restoreProgress(int version, byte[] streamProgress, SortedMap<Time, byte[]> batches, Time checkpointTime);
}
