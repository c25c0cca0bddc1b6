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
 * output was empty (an empty queue at that tick) are not reported to {@link #next}.
 *
 * <p>Thread-safe: written by the engine's job and listener threads, read by the driver thread.
 */
public final class BatchLog {
  /** One completed, non-empty batch. */
  public record Batch(long batchTimeMs, long outputRecords, long schedulingDelayMs, long processingDelayMs) {}

  private final Map<Long, Long> outputs = new ConcurrentHashMap<>();
  private final BlockingQueue<Batch> completed = new LinkedBlockingQueue<>();

  /** Called by the pipeline's output operation with its batch's record count. */
  public void output(long batchTimeMs, long records) {
    outputs.put(batchTimeMs, records);
  }

  /** Called by the streaming listener when a batch completed. */
  public void completed(long batchTimeMs, long schedulingDelayMs, long processingDelayMs) {
    Long records = outputs.remove(batchTimeMs);
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
}
