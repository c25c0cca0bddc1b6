package dev.millrace.streaming.internal.scheduler;

import dev.millrace.streaming.Time;
import dev.millrace.streaming.scheduler.StreamInputInfo;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Collects what each input stream contributed to each batch until the batch is submitted. */
public final class InputInfoTracker {
  private final Map<Time, Map<Integer, StreamInputInfo>> byBatch = new ConcurrentHashMap<>();

  /**
   * Records one stream's input of one batch.
   *
   * @throws IllegalStateException if the stream already reported for that batch
   */
  public void report(Time time, StreamInputInfo info) {
    Map<Integer, StreamInputInfo> infos = byBatch.computeIfAbsent(time, t -> new ConcurrentHashMap<>());
    if (infos.putIfAbsent(info.inputStreamId(), info) != null) {
      throw new IllegalStateException("Input stream " + info.inputStreamId() + " for batch " + time
          + " is already added into InputInfoTracker, this is an illegal state");
    }
  }

  /** Takes the infos of batch {@code time}, forgetting them. */
  public Map<Integer, StreamInputInfo> take(Time time) {
    Map<Integer, StreamInputInfo> infos = byBatch.remove(time);
    return infos == null ? Map.of() : new HashMap<>(infos);
  }
}
