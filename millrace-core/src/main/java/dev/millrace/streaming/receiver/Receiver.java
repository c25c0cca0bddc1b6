package dev.millrace.streaming.receiver;

import dev.millrace.storage.StorageLevel;
import dev.millrace.streaming.internal.receiver.ReceiverSupervisor;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A source of live data that runs on a thread of its own and hands records to the engine with
 * {@code store}. The port of Spark's {@code org.apache.spark.streaming.receiver.Receiver}.
 *
 * <p>Subclasses implement {@link #onStart()} to set up what receives the data (a socket, a client
 * of some service) and to start the threads that read it, and {@link #onStop()} to tear that down.
 * {@code onStart} must not block: it is called on the receiver's own thread, but a restart waits
 * for it to return. The reading threads call {@code store} for each record (or batch of records),
 * and should end once {@link #isStopped()} is true.
 *
 * <pre>{@code
 * class LineReceiver extends Receiver<String> {
 *   LineReceiver() { super(StorageLevel.MEMORY_AND_DISK_2()); }
 *   public void onStart() { new Thread(this::receive).start(); }
 *   public void onStop() {}
 *   private void receive() {
 *     while (!isStopped()) { store(readLineSomehow()); }
 *     restart("source closed");
 *   }
 * }
 * jssc.receiverStream(new LineReceiver()).print();
 * }</pre>
 *
 * <p>Semantics:
 *
 * <ul>
 *   <li>{@link #store(Object)} adds one record to the current block; blocks are cut every
 *       {@code spark.streaming.blockInterval} (200 ms) and a batch at time T holds the blocks
 *       stored since the previous batch, one partition per block. Single records are subject to
 *       {@code spark.streaming.receiver.maxRate} (records per second, per receiver): once over
 *       it, {@code store} blocks until the rate allows the record, which holds back a peer that
 *       sends faster than that. The {@code Iterator}, {@code List} and {@code ByteBuffer} forms
 *       store a whole block at once and are not rate limited, as in Spark.
 *   <li>A record whose {@code store} call returned is never lost by a graceful stop
 *       ({@code stop(true, true)}): the receiver is stopped, its partial block is cut, and
 *       batches are generated until every stored block was processed.
 *   <li>{@link #restart(String)} stops the receiver ({@link #onStop()}) and starts it again
 *       ({@link #onStart()}) {@code spark.streaming.receiverRestartDelay} (2000 ms) after the call,
 *       on the context's clock, asynchronously. Listeners hear a receiver-error event carrying the
 *       message (and the error, if given), then receiver-stopped and receiver-started events.
 *       Records stored in between are kept.
 *   <li>{@link #stop(String)} stops this receiver for good; the context keeps running.
 *   <li>{@link #reportError(String, Throwable)} tells listeners (a receiver-error event with a
 *       {@link dev.millrace.streaming.scheduler.ReceiverInfo}) and the log, and changes nothing else.
 * </ul>
 *
 * <p>Threading: {@code store}, {@code reportError}, {@code restart}, {@code stop} and the state
 * queries may be called from any thread. {@code onStart} and {@code onStop} are never called
 * concurrently with each other.
 *
 * @param <T> type of the records
 */
public abstract class Receiver<T> implements Serializable {
  private static final long serialVersionUID = 1L;

  private final StorageLevel storageLevel;
  private int streamId = -1;
  private transient volatile ReceiverSupervisor<T> supervisor;

  /**
   * @param storageLevel how the received blocks should be kept; recorded (the local runtime keeps
   *     blocks in memory as objects)
   */
  public Receiver(StorageLevel storageLevel) {
    this.storageLevel = Objects.requireNonNull(storageLevel, "storageLevel");
  }

  /** Called when the receiver starts (and after each restart); must set up reading and return. */
  public abstract void onStart();

  /** Called when the receiver stops (and before each restart); must release what onStart set up. */
  public abstract void onStop();

  /** The storage level given to the constructor. */
  public StorageLevel storageLevel() {
    return storageLevel;
  }

  /** Where this receiver would like to run; the local runtime runs every receiver in-process. */
  public Optional<String> preferredLocation() {
    return Optional.empty();
  }

  /**
   * Stores one record in the current block; may block to respect {@code maxRate}.
   *
   * @throws IllegalStateException if the receiver is not running (not started, or stopped)
   */
  public void store(T dataItem) {
    supervisor().pushSingle(dataItem);
  }

  /**
   * Stores the remaining records of {@code dataIterator} as one block.
   *
   * @throws IllegalStateException if the receiver is not running
   */
  public void store(Iterator<T> dataIterator) {
    Objects.requireNonNull(dataIterator, "dataIterator");
    supervisor().pushIterator(dataIterator);
  }

  /**
   * Stores {@code dataBuffer}'s records as one block.
   *
   * @throws IllegalStateException if the receiver is not running
   */
  public void store(List<T> dataBuffer) {
    Objects.requireNonNull(dataBuffer, "dataBuffer");
    supervisor().pushIterator(dataBuffer.iterator());
  }

  /**
   * Stores a serialized block: the bytes from {@code bytes.position()} to its limit must be a Java
   * serialization stream ({@link java.io.ObjectOutputStream}) holding the block's records one
   * after another. This is the payload of one frame of {@code rawSocketStream}.
   *
   * @throws IllegalArgumentException if the bytes are not such a stream (nothing is stored then)
   * @throws IllegalStateException if the receiver is not running
   */
  public void store(ByteBuffer bytes) {
    Objects.requireNonNull(bytes, "bytes");
    supervisor().pushBytes(bytes);
  }

  /** Reports an error to listeners and the log; the receiver keeps running. */
  public void reportError(String message, Throwable throwable) {
    supervisor().reportError(message, throwable);
  }

  /** Restarts the receiver after the default delay ({@code spark.streaming.receiverRestartDelay}). */
  public void restart(String message) {
    supervisor().restartReceiver(message, null, -1);
  }

  /** Restarts the receiver after the default delay, reporting {@code error}. */
  public void restart(String message, Throwable error) {
    supervisor().restartReceiver(message, error, -1);
  }

  /**
   * Restarts the receiver after {@code millisecond} ms of the context's clock, reporting {@code error}.
   *
   * @throws IllegalArgumentException if the delay is negative
   */
  public void restart(String message, Throwable error, int millisecond) {
    if (millisecond < 0) {
      throw new IllegalArgumentException("restart delay must not be negative: " + millisecond);
    }
    supervisor().restartReceiver(message, error, millisecond);
  }

  /** Stops this receiver for good. */
  public void stop(String message) {
    supervisor().stop(message, null);
  }

  /** Stops this receiver for good, reporting {@code error}. */
  public void stop(String message, Throwable error) {
    supervisor().stop(message, error);
  }

  /** Whether the receiver has been started (and not stopped since). */
  public boolean isStarted() {
    ReceiverSupervisor<T> s = supervisor;
    return s != null && s.isReceiverStarted();
  }

  /** Whether the receiver is stopped: not yet started, restarting, or stopped. Reading threads should end then. */
  public boolean isStopped() {
    ReceiverSupervisor<T> s = supervisor;
    return s == null || s.isReceiverStopped();
  }

  /** The id of the input stream this receiver feeds; -1 before the stream was created. */
  public int streamId() {
    return streamId;
  }

  // ------------------------------------------------------------ engine hooks

  /** Engine use only: ties this receiver to the input stream {@code id}. */
  public final void setReceiverId(int id) {
    this.streamId = id;
  }

  /**
   * Engine use only: attaches the supervisor that runs this receiver.
   *
   * @throws IllegalStateException if the receiver already runs in a context
   */
  public final void attachSupervisor(ReceiverSupervisor<T> exec) {
    if (supervisor != null && supervisor != exec) {
      throw new IllegalStateException("Receiver has already been attached to a running context");
    }
    this.supervisor = exec;
  }

  /** Engine use only: the attached supervisor, or null. */
  public final ReceiverSupervisor<T> supervisorOrNull() {
    return supervisor;
  }

  private ReceiverSupervisor<T> supervisor() {
    ReceiverSupervisor<T> s = supervisor;
    if (s == null) {
      throw new IllegalStateException("Receiver of stream " + streamId
          + " has not been started yet: it can store data only after the streaming context started it");
    }
    return s;
  }
}
