package dev.millrace.streaming.internal.receiver;

import dev.millrace.util.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;

/**
 * Collects single records of one receiver into blocks: every block interval of the context's clock
 * the current buffer becomes a block and is pushed to the tracker; the tracker also cuts it when a
 * batch is generated, so a batch holds every record stored before it.
 *
 * <p>Thread-safe: records are added from the receiver's threads, blocks cut on the generator's
 * timer thread and on the batch generator thread; all under this object's lock. Blocks are pushed
 * while holding that lock, so they reach the tracker in the order they were cut.
 */
final class BlockGenerator<T> {
  private enum State { INITIALIZED, ACTIVE, STOPPED }

  private final int streamId;
  private final Clock clock;
  private final long intervalMs;
  private final Consumer<ReceivedBlock<T>> sink;
  private final Thread timer;
  /** The write-ahead log's append, or null: records reach it, in order, before they are buffered. */
  private volatile Consumer<List<T>> log;
  private ArrayList<T> buffer = new ArrayList<>();
  private long nextBlockId;
  private State state = State.INITIALIZED;

  BlockGenerator(int streamId, Clock clock, long intervalMs, Consumer<ReceivedBlock<T>> sink, ThreadFactory threads) {
    if (intervalMs <= 0) {
      throw new IllegalArgumentException("spark.streaming.blockInterval must be positive, was " + intervalMs + " ms");
    }
    this.streamId = streamId;
    this.clock = clock;
    this.intervalMs = intervalMs;
    this.sink = sink;
    this.timer = threads.newThread(this::cutOnTimer);
  }

  /** Sets the write-ahead log that every record goes to before {@code add} or {@code addBlock} returns. */
  void setLog(Consumer<List<T>> log) {
    this.log = log;
  }

  synchronized void start() {
    if (state == State.INITIALIZED) {
      state = State.ACTIVE;
      timer.start();
    }
  }

  /** @throws IllegalStateException once stopped: the record is not stored */
  synchronized void add(T record) {
    if (state != State.ACTIVE) {
      throw notActive();
    }
    Consumer<List<T>> l = log;
    if (l != null) {
      l.accept(java.util.Collections.singletonList(record));
    }
    buffer.add(record);
  }

  /** Pushes {@code records} as a block of its own, after the records buffered so far. */
  synchronized void addBlock(List<T> records) {
    if (state != State.ACTIVE) {
      throw notActive();
    }
    cut();
    Consumer<List<T>> l = log;
    if (l != null && !records.isEmpty()) {
      l.accept(records);
    }
    if (!records.isEmpty()) {
      sink.accept(new ReceivedBlock<>(streamId, nextBlockId++, records));
    }
  }

  private IllegalStateException notActive() {
    return new IllegalStateException("Cannot store data in stream " + streamId + ": its receiver "
        + (state == State.STOPPED ? "has been stopped" : "has not been started"));
  }

  /** Turns the buffered records, if any, into a block. */
  synchronized void cut() {
    if (!buffer.isEmpty()) {
      List<T> records = buffer;
      buffer = new ArrayList<>(Math.max(16, records.size()));
      sink.accept(new ReceivedBlock<>(streamId, nextBlockId++, records));
    }
  }

  /** Records stored and not yet cut into a block. */
  synchronized int bufferedRecords() {
    return buffer.size();
  }

  synchronized boolean hasBuffered() {
    return !buffer.isEmpty();
  }

  /** Cuts the last block and refuses records from now on. */
  void stop() {
    synchronized (this) {
      if (state == State.STOPPED) {
        return;
      }
      cut();
      state = State.STOPPED;
    }
    timer.interrupt();
  }

  private void cutOnTimer() {
    try {
      long next = (clock.getTimeMillis() / intervalMs + 1) * intervalMs;
      while (true) {
        clock.waitTillTime(next);
        synchronized (this) {
          if (state == State.STOPPED) {
            return;
          }
          cut();
        }
        long now = clock.getTimeMillis();
        next = Math.max(next + intervalMs, (now / intervalMs) * intervalMs + intervalMs);
      }
    } catch (InterruptedException e) {
      // stopped
    }
  }
}
