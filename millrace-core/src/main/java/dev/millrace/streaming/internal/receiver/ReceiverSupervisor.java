package dev.millrace.streaming.internal.receiver;

import dev.millrace.internal.config.ConfigKeys;
import dev.millrace.streaming.internal.StreamingEngine;
import dev.millrace.streaming.internal.scheduler.rate.IngestionRate;
import dev.millrace.streaming.internal.scheduler.rate.RateController;
import dev.millrace.streaming.receiver.Receiver;
import dev.millrace.streaming.scheduler.ReceiverInfo;
import dev.millrace.streaming.scheduler.StreamingListenerReceiverError;
import dev.millrace.streaming.scheduler.StreamingListenerReceiverStarted;
import dev.millrace.streaming.scheduler.StreamingListenerReceiverStopped;
import dev.millrace.util.Clock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link Receiver}: starts it on a thread of its own, turns what it stores into blocks
 * for the {@link ReceiverTracker}, applies its rate limit ({@code maxRate}, and with
 * backpressure the stream's {@link RateController}), restarts it after the restart delay,
 * stops it, and tells listeners about all of that.
 *
 * <p>Thread-safe. Lifecycle transitions (start, stop, restart) are serialized on one lock, so
 * {@code onStart} and {@code onStop} never run at the same time; storing takes no lifecycle lock.
 */
public final class ReceiverSupervisor<T> {
  private static final Logger LOG = LoggerFactory.getLogger(ReceiverSupervisor.class);

  private enum ReceiverState { INITIALIZED, STARTED, STOPPED }

  private final Receiver<T> receiver;
  private final int streamId;
  private final String streamName;
  private final StreamingEngine ssc;
  private final Clock clock;
  private final ThreadFactory threads;
  private final long defaultRestartDelayMs;
  private final BlockGenerator<T> blockGenerator;
  private final IngestionRate ingestionRate;
  private final RateLimiter rateLimiter;
  private final Object lifecycle = new Object();
  private final Set<Thread> waiting = ConcurrentHashMap.newKeySet();
  private final java.util.concurrent.atomic.AtomicLong recordsStored = new java.util.concurrent.atomic.AtomicLong();

  private volatile ReceiverState receiverState = ReceiverState.INITIALIZED;
  private volatile boolean stopped;
  private volatile String lastErrorMessage = "";
  private volatile String lastError = "";
  private volatile long lastErrorTime = -1;

  ReceiverSupervisor(Receiver<T> receiver, int streamId, String streamName, StreamingEngine ssc,
      ReceiverTracker tracker) {
    this.receiver = receiver;
    this.streamId = streamId;
    this.streamName = streamName;
    this.ssc = ssc;
    this.clock = ssc.clock();
    this.threads = ssc.named("receiver-" + streamId);
    this.defaultRestartDelayMs = ssc.engine().conf().get(ConfigKeys.RECEIVER_RESTART_DELAY);
    long maxRate = ssc.engine().conf().get(ConfigKeys.RECEIVER_MAX_RATE);
    // With backpressure the limit follows the stream's RateController (capped by maxRate);
    // without, it is the fixed maxRate (or none).
    this.ingestionRate = RateController.forStream(ssc, streamId, maxRate);
    long initial = ingestionRate.currentLimit();
    this.rateLimiter = initial == IngestionRate.UNLIMITED ? RateLimiter.unlimited(clock) : new RateLimiter(clock, initial);
    ingestionRate.onChange(rateLimiter::setRate);
    this.blockGenerator = new BlockGenerator<>(streamId, clock,
        ssc.engine().conf().get(ConfigKeys.BLOCK_INTERVAL), tracker::addBlock, ssc.named("block-generator-" + streamId));
  }

  /**
   * Makes every record stored from now on go to {@code wal} before the store call returns; call
   * before the receiver starts.
   */
  void setWriteAheadLog(dev.millrace.streaming.internal.checkpoint.WriteAheadLog wal) {
    blockGenerator.setLog(wal::append);
  }

  /** The stream this receiver feeds, as named in messages: {@code stream 3 (socketTextStream)}. */
  public String streamName() {
    return streamName;
  }

  /** A thread factory for the receiver's own threads (used by the built-in receivers). */
  public ThreadFactory threadFactory() {
    return threads;
  }

  /**
   * The rate limit in force in records per second, or 0 when there is none: {@code
   * spark.streaming.receiver.maxRate}, or with backpressure the latest estimate capped by it.
   */
  public long maxRate() {
    return rateLimiter.ratePerSecond();
  }

  // ------------------------------------------------------------ storing

  /** Stores one record, waiting for the rate limit (maxRate or backpressure) first. */
  public void pushSingle(T record) {
    long due = rateLimiter.reserve();
    if (due > clock.getTimeMillis()) {
      awaitClock(due);
    }
    blockGenerator.add(record);
    recordsStored.incrementAndGet();
  }

  /** Records stored since the receiver was first started. */
  public long recordsStored() {
    return recordsStored.get();
  }

  private void awaitClock(long due) {
    Thread me = Thread.currentThread();
    waiting.add(me);
    try {
      if (stopped) {
        throw new IllegalStateException("Cannot store data in " + streamName + ": its receiver has been stopped");
      }
      clock.waitTillTime(due);
    } catch (InterruptedException e) {
      me.interrupt();
      throw new IllegalStateException("Interrupted while waiting for " + ConfigKeys.RECEIVER_MAX_RATE.sparkAlias()
          + " in " + streamName + "; the record was not stored", e);
    } finally {
      waiting.remove(me);
    }
  }

  /** Stores the iterator's remaining records as one block. */
  public void pushIterator(Iterator<T> records) {
    List<T> list = new ArrayList<>();
    while (records.hasNext()) {
      list.add(records.next());
    }
    blockGenerator.addBlock(list);
    recordsStored.addAndGet(list.size());
  }

  /** Stores a Java-serialized block (see {@link Receiver#store(ByteBuffer)}). */
  public void pushBytes(ByteBuffer bytes) {
    byte[] data = new byte[bytes.remaining()];
    bytes.duplicate().get(data);
    List<T> list = new ArrayList<>();
    if (data.length > 0) {
      ByteArrayInputStream raw = new ByteArrayInputStream(data);
      try (ObjectInputStream in = new ObjectInputStream(raw)) {
        // Between top-level objects the stream reads nothing ahead, so no bytes left means the end;
        // an EOF inside an object means the block was cut short.
        while (raw.available() > 0) {
          @SuppressWarnings("unchecked")
          T record = (T) in.readObject();
          list.add(record);
        }
      } catch (IOException | ClassNotFoundException | ClassCastException e) {
        throw new IllegalArgumentException("A block of " + data.length + " bytes for " + streamName
            + " is not a Java serialization stream of records: " + e, e);
      }
    }
    blockGenerator.addBlock(list);
    recordsStored.addAndGet(list.size());
  }

  void cutBlock() {
    blockGenerator.cut();
  }

  int bufferedRecords() {
    return blockGenerator.bufferedRecords();
  }

  boolean hasBufferedRecords() {
    return blockGenerator.hasBuffered();
  }

  // ------------------------------------------------------------ lifecycle

  /** Starts the block generator and, on a thread of its own, the receiver. */
  void start() {
    blockGenerator.start();
    threads.newThread(this::startReceiver).start();
  }

  private void startReceiver() {
    // As in Spark, onStart runs under the lifecycle lock: a stop or restart waits for it to return.
    synchronized (lifecycle) {
      if (stopped || receiverState == ReceiverState.STARTED) {
        return;
      }
      receiverState = ReceiverState.STARTED;
      LOG.info("Starting receiver of {}", streamName);
      ssc.listenerBus().post(new StreamingListenerReceiverStarted(info()));
      try {
        receiver.onStart();
      } catch (Throwable t) {
        stop("Error starting receiver " + streamId, t);
      }
    }
  }

  public boolean isReceiverStarted() {
    return receiverState == ReceiverState.STARTED;
  }

  public boolean isReceiverStopped() {
    return receiverState != ReceiverState.STARTED;
  }

  /** Tells listeners and the log; changes nothing else. */
  public void reportError(String message, Throwable error) {
    recordError(message, error);
    LOG.warn("Receiver of {} reported an error: {}", streamName, message, error);
    ssc.listenerBus().post(new StreamingListenerReceiverError(info()));
  }

  private void recordError(String message, Throwable error) {
    lastErrorMessage = message == null ? "" : message;
    lastError = error == null ? "" : stackTrace(error);
    lastErrorTime = clock.getTimeMillis();
  }

  /**
   * Stops the receiver and starts it again {@code delayMs} (the configured delay when negative)
   * after this call, on the context's clock; asynchronously, on a thread of its own.
   */
  public void restartReceiver(String message, Throwable error, long delayMs) {
    long delay = delayMs < 0 ? defaultRestartDelayMs : delayMs;
    if (stopped) {
      return;
    }
    // The delay counts from the call, so a test that saw the error knows when the restart is due.
    long due = clock.getTimeMillis() + delay;
    Thread t = threads.newThread(() -> {
      Thread me = Thread.currentThread();
      waiting.add(me);
      try {
        LOG.warn("Restarting receiver of {} with delay {} ms: {}", streamName, delay, message, error);
        recordError(message, error);
        ssc.listenerBus().post(new StreamingListenerReceiverError(info()));
        stopReceiver("Restarting receiver with delay " + delay + "ms: " + message, error);
        if (!stopped) {
          clock.waitTillTime(due);
        }
        if (!stopped) {
          startReceiver();
        }
      } catch (InterruptedException e) {
        // the context stopped while waiting
      } finally {
        waiting.remove(me);
      }
    });
    t.start();
  }

  private void stopReceiver(String message, Throwable error) {
    synchronized (lifecycle) {
      if (receiverState != ReceiverState.STARTED) {
        return;
      }
      receiverState = ReceiverState.STOPPED;
      try {
        receiver.onStop();
      } catch (Throwable t) {
        LOG.warn("Receiver of {} failed in onStop", streamName, t);
      }
      if (error != null) {
        recordError(message, error);
      }
      LOG.info("Stopped receiver of {}: {}", streamName, message);
      ssc.listenerBus().post(new StreamingListenerReceiverStopped(info()));
    }
  }

  /**
   * Stops the receiver for good, cuts its last block and refuses records from then on. Records
   * stored before are kept for the next batch. Idempotent.
   */
  public void stop(String message, Throwable error) {
    stopped = true;
    stopReceiver(message, error);
    blockGenerator.stop();
    for (Thread t : waiting) {
      t.interrupt();
    }
  }

  boolean isStopped() {
    return stopped;
  }

  /** The receiver's state for listeners. */
  public ReceiverInfo info() {
    return new ReceiverInfo(streamId, receiver.getClass().getSimpleName(), isReceiverStarted(), "localhost",
        "driver", lastErrorMessage, lastError, lastErrorTime);
  }

  private static String stackTrace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }
}
