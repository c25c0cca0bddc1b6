package dev.millrace.testkit;

import dev.millrace.streaming.Time;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The output of one stream, batch by batch, as collected by {@link StreamingTestHarness#collect}.
 * Every processed batch appears, an empty one as an empty list. Thread-safe.
 *
 * @param <T> type of the records
 */
public final class BatchCollector<T> {
  private final TreeMap<Time, List<T>> byTime = new TreeMap<>();

  synchronized void add(Time time, List<T> records) {
    byTime.put(time, Collections.unmodifiableList(new ArrayList<>(records)));
  }

  /** Each collected batch's records, in batch order. */
  public synchronized List<List<T>> batches() {
    return new ArrayList<>(byTime.values());
  }

  /** The records of the {@code n}-th collected batch, counting from 1. */
  public synchronized List<T> batch(int n) {
    return batches().get(n - 1);
  }

  /** The times of the collected batches, in order. */
  public synchronized List<Time> times() {
    return new ArrayList<>(byTime.keySet());
  }

  /** Batches by time. */
  public synchronized Map<Time, List<T>> byTime() {
    return new TreeMap<>(byTime);
  }

  /** All records of all batches, in batch order. */
  public synchronized List<T> all() {
    List<T> out = new ArrayList<>();
    byTime.values().forEach(out::addAll);
    return out;
  }
}
