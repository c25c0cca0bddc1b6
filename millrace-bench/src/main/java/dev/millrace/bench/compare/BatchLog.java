package dev.millrace.bench.compare;

import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What a streaming engine reported about its batches, in engine-neutral terms. The output operation
 * of the benchmark pipeline calls {@link #output} with the number of records it saw; the engine's
 * streaming listener calls {@link #completed} with the delays from the batch's info. Batches whose
 * output was empty (an empty queue at that tick) are not reported to {@link #next}. A log made with
 * {@link #everyBatch()} also keeps every completed batch, empty or not, with its input record
 * count, for {@link #nextAny} (the socket-ingest workload, where the input count is the figure).
 *
 * <p>Thread-safe: written by the engine's job and listener threads, read by the driver thread.
 */
public final class BatchLog {
  /** One completed, non-empty batch. */
  public record Batch(long batchTimeMs, long outputRecords, long schedulingDelayMs, long processingDelayMs) {}

  /**
   * One completed batch, empty or not.
   *
   * @param inputRecords records the batch's input streams brought ({@code BatchInfo.numRecords})
   * @param outputRecords what the output operation counted, or -1 if it did not run
   */
  public record AnyBatch(long batchTimeMs, long inputRecords, long outputRecords, long schedulingDelayMs,
      long processingDelayMs) {}

  private final Map<Long, Long> outputs = new ConcurrentHashMap<>();
  private final BlockingQueue<Batch> completed = new LinkedBlockingQueue<>();
  private final BlockingQueue<AnyBatch> any;

  /** A log that reports non-empty batches only ({@link #next}). */
  public BatchLog() {
    this(false);
  }

  private BatchLog(boolean everyBatch) {
    this.any = everyBatch ? new LinkedBlockingQueue<>() : null;
  }

  /** A log that also keeps every completed batch for {@link #nextAny}. */
  public static BatchLog everyBatch() {
    return new BatchLog(true);
  }

  /** Called by the pipeline's output operation with its batch's record count. */
  public void output(long batchTimeMs, long records) {
    outputs.put(batchTimeMs, records);
  }

  /** Called by the streaming listener when a batch completed. */
  public void completed(long batchTimeMs, long schedulingDelayMs, long processingDelayMs) {
    completed(batchTimeMs, -1, schedulingDelayMs, processingDelayMs);
  }

  /** Called by the streaming listener when a batch completed, with its input record count. */
  public void completed(long batchTimeMs, long inputRecords, long schedulingDelayMs, long processingDelayMs) {
    Long records = outputs.remove(batchTimeMs);
    if (any != null) {
      any.add(new AnyBatch(batchTimeMs, inputRecords, records == null ? -1 : records, schedulingDelayMs,
          processingDelayMs));
    }
    if (records != null && records > 0) {
      completed.add(new Batch(batchTimeMs, records, schedulingDelayMs, processingDelayMs));
    }
  }

  /**
   * The next completed non-empty batch, in completion order.
   *
   * @throws TimeoutException if none completes within {@code timeoutMs}
   */
  public Batch next(long timeoutMs) throws InterruptedException, TimeoutException {
    Batch b = completed.poll(timeoutMs, TimeUnit.MILLISECONDS);
    if (b == null) {
      throw new TimeoutException("no non-empty batch completed within " + timeoutMs + " ms");
    }
    return b;
  }

  /**
   * The next completed batch, empty or not, in completion order.
   *
   * @throws IllegalStateException if this log was not made with {@link #everyBatch()}
   * @throws TimeoutException if none completes within {@code timeoutMs}
   */
  public AnyBatch nextAny(long timeoutMs) throws InterruptedException, TimeoutException {
    if (any == null) {
      throw new IllegalStateException("this log keeps non-empty batches only; make it with BatchLog.everyBatch()");
    }
    AnyBatch b = any.poll(timeoutMs, TimeUnit.MILLISECONDS);
    if (b == null) {
      throw new TimeoutException("no batch completed within " + timeoutMs + " ms");
    }
    return b;
  }
}
