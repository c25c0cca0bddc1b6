package dev.millrace.streaming.internal.dstream;

import dev.millrace.internal.config.ConfigKeys;
import dev.millrace.internal.rdd.BlockRDD;
import dev.millrace.internal.rdd.RDD;
import dev.millrace.streaming.Time;
import dev.millrace.streaming.internal.StreamingEngine;
import dev.millrace.streaming.internal.checkpoint.SourceProgress;
import dev.millrace.streaming.internal.checkpoint.WriteAheadLog;
import dev.millrace.streaming.internal.receiver.ReceivedBlock;
import dev.millrace.streaming.receiver.Receiver;
import java.nio.ByteBuffer;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An input stream fed by a {@link Receiver} running on a thread of its own. Batch T holds the
 * blocks the receiver stored since the previous batch, one partition per block.
 *
 * <p>Starting the context starts the receiver; a graceful stop stops it first, then keeps
 * generating batches until every block it stored was processed; a stop at once stops it and drops
 * what was not processed yet.
 *
 * <p>With {@code spark.streaming.receiver.writeAheadLog.enable=true} and a checkpoint directory,
 * every record is appended to a {@link WriteAheadLog} in {@code <checkpointDir>/receivedData/<operator
 * id>} before {@code store} returns, and the checkpoints record, per batch, which log records
 * (sequence number ranges) its blocks hold, plus how far the log had been allocated to batches. On
 * recovery, the blocks of the batches to re-run are read back from the log, and the records stored
 * after the last allocated one go to the next batch: nothing stored is lost (at-least-once). A start
 * without checkpointed progress over a log that holds records (the previous run died before its
 * first metadata checkpoint) gives them all to the first batch. Log
 * segments are deleted once no checkpointed batch refers to them. Without the log, recovery re-runs
 * pending batches with no receiver data (at-most-once).
 */
public abstract class ReceiverInputDStream<T> extends InputDStream<T> implements SourceProgress {
  private static final long serialVersionUID = 1L;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ReceiverInputDStream.class);

  /** Per batch, the blocks as (first sequence number, record count) pairs. */
  private final transient NavigableMap<Time, long[]> ranges = new TreeMap<>();
  private transient WriteAheadLog wal;
  /** Whether a metadata checkpoint gave this stream its progress (set before {@link #start}). */
  private transient volatile boolean progressRestored;
  private long allocatedUpTo;
  /**
   * {@link #allocatedUpTo} when the checkpoint being written took its batch list in {@link
   * #progressTimes}: the stream progress must not cover records of a batch the list lacks.
   */
  private long allocatedUpToAtSnapshot;

  protected ReceiverInputDStream(StreamingEngine ssc, String operation) {
    super(ssc, operation);
  }

  /** The receiver to run; called once, when the context starts. */
  public abstract Receiver<T> getReceiver();

  /**
   * The write-ahead log of this stream, opened on first use; null unless the log is enabled and a
   * checkpoint directory is set.
   */
  public synchronized WriteAheadLog writeAheadLog() {
    if (wal == null && context().engine().conf().get(ConfigKeys.RECEIVER_WAL_ENABLE)
        && context().checkpointDir() != null && operatorId() != null) {
      wal = new WriteAheadLog(Paths.get(context().checkpointDir(), "receivedData", operatorId()), context().clock(),
          context().engine().conf().get(ConfigKeys.RECEIVER_WAL_ROLLING_INTERVAL) * 1000L);
    }
    return wal;
  }

  @Override
  public void start() {
    WriteAheadLog log = writeAheadLog();
    if (log != null && !progressRestored) {
      replayUncheckpointedLog(log);
    }
    context().receiverTracker().startReceiver(this);
  }

  /**
   * A start without checkpointed progress over a log that holds records: the previous run stored
   * them (and its receiver acknowledged them) but died before any metadata checkpoint recorded
   * them, typically while writing its first one. They go to the first batch, so none is lost.
   */
  @SuppressWarnings("unchecked")
  private void replayUncheckpointedLog(WriteAheadLog log) {
    long from = log.firstSeq();
    long end = log.nextSeq();
    if (end <= from) {
      return;
    }
    LOG.warn("The write-ahead log of {} in {} holds {} record(s) ({} to {}) that no metadata checkpoint records; "
        + "they go to the first batch", this, log.directory(), end - from, from, end - 1);
    context().receiverTracker().restoreUnallocated(id(), List.of(
        new ReceivedBlock<>(id(), -1, (List<T>) log.read(from, end), from)));
  }

  @Override
  public void stop() {
    context().receiverTracker().stopReceiver(id(), "Stopped by driver");
    synchronized (this) {
      if (wal != null) {
        wal.close();
      }
    }
  }

  @Override
  public void stopReceiving() {
    context().receiverTracker().stopReceiver(id(), "Stopped by driver (graceful stop)");
  }

  @Override
  public boolean hasPendingInput() {
    return context().receiverTracker().hasUnallocatedBlocks(id());
  }

  /** Records the receiver stored that are not yet in a batch. */
  @Override
  public java.util.OptionalLong lag() {
    return java.util.OptionalLong.of(context().receiverTracker().pendingRecords(id()));
  }

  @Override
  protected RDD<T> compute(Time validTime) {
    List<ReceivedBlock<T>> blocks = context().receiverTracker().blocksOfBatch(validTime, id());
    List<List<T>> data = new ArrayList<>(blocks.size());
    long[] r = new long[blocks.size() * 2];
    int i = 0;
    for (ReceivedBlock<T> b : blocks) {
      data.add(b.records());
      r[i++] = b.firstSeq();
      r[i++] = b.size();
    }
    synchronized (ranges) {
      ranges.put(validTime, r);
      for (ReceivedBlock<T> b : blocks) {
        allocatedUpTo = Math.max(allocatedUpTo, b.firstSeq() + b.size());
      }
    }
    return new BlockRDD<>(context().engine(), data);
  }

  // ------------------------------------------------------------ checkpoint progress

  @Override
  public String progressKind() {
    return "receiver-wal";
  }

  @Override
  public int progressVersion() {
    return 1;
  }

  @Override
  public List<Time> progressTimes(Time oldestNeeded) {
    if (writeAheadLog() == null) {
      return List.of();
    }
    synchronized (ranges) {
      ranges.headMap(oldestNeeded, false).clear();
      // Taken with the batch list: a batch computed between this call and encodeStreamProgress is
      // not in the checkpoint, so its records must count as not allocated yet.
      allocatedUpToAtSnapshot = allocatedUpTo;
      return new ArrayList<>(ranges.keySet());
    }
  }

  @Override
  public byte[] encodeProgress(Time batchTime) {
    long[] r;
    synchronized (ranges) {
      r = ranges.getOrDefault(batchTime, new long[0]);
    }
    ByteBuffer buf = ByteBuffer.allocate(4 + 8 * r.length);
    buf.putInt(r.length / 2);
    for (long v : r) {
      buf.putLong(v);
    }
    return buf.array();
  }

  @Override
  public String describeProgress(Time batchTime) {
    long[] r;
    synchronized (ranges) {
      r = ranges.getOrDefault(batchTime, new long[0]);
    }
    long records = 0;
    for (int i = 1; i < r.length; i += 2) {
      records += r[i];
    }
    return r.length / 2 + " block(s), " + records + " record(s)"
        + (r.length == 0 ? "" : ", log records " + r[0] + ".." + (r[r.length - 2] + r[r.length - 1] - 1));
  }

  @Override
  public byte[] encodeStreamProgress() {
    synchronized (ranges) {
      return ByteBuffer.allocate(8).putLong(allocatedUpToAtSnapshot).array();
    }
  }

  /** Drops log segments no checkpointed batch needs any more. */
  @Override
  public void checkpointWritten(Time oldestNeeded) {
    WriteAheadLog log = writeAheadLog();
    if (log == null) {
      return;
    }
    long keepFrom;
    synchronized (ranges) {
      keepFrom = Math.min(allocatedUpTo, allocatedUpToAtSnapshot);
      for (Map.Entry<Time, long[]> e : ranges.tailMap(oldestNeeded, true).entrySet()) {
        long[] r = e.getValue();
        for (int i = 0; i < r.length; i += 2) {
          if (r[i] >= 0) {
            keepFrom = Math.min(keepFrom, r[i]);
          }
        }
      }
    }
    log.deleteBefore(keepFrom);
  }

  @Override
  @SuppressWarnings("unchecked")
  public void restoreProgress(int version, byte[] streamProgress, SortedMap<Time, byte[]> batches,
      Time checkpointTime) {
    if (version != 1) {
      throw new IllegalArgumentException("The checkpointed progress of " + this + " has version " + version
          + "; this build reads version 1");
    }
    WriteAheadLog log = writeAheadLog();
    if (log == null) {
      return;
    }
    progressRestored = true;
    long upTo = streamProgress.length == 8 ? ByteBuffer.wrap(streamProgress).getLong() : 0;
    long blockId = -1;
    for (Map.Entry<Time, byte[]> e : batches.entrySet()) {
      ByteBuffer buf = ByteBuffer.wrap(e.getValue());
      int n = buf.getInt();
      long[] r = new long[n * 2];
      List<ReceivedBlock<T>> blocks = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        long first = buf.getLong();
        long count = buf.getLong();
        r[2 * i] = first;
        r[2 * i + 1] = count;
        blocks.add(new ReceivedBlock<>(id(), blockId--, (List<T>) log.read(first, first + count), first));
        upTo = Math.max(upTo, first + count);
      }
      synchronized (ranges) {
        ranges.put(e.getKey(), r);
      }
      context().receiverTracker().restoreAllocated(e.getKey(), id(), blocks);
    }
    // Records stored after the last allocated one (the batch they were meant for never ran).
    long end = log.nextSeq();
    if (end > upTo) {
      context().receiverTracker().restoreUnallocated(id(), List.of(
          new ReceivedBlock<>(id(), blockId, (List<T>) log.read(upTo, end), upTo)));
    }
    synchronized (ranges) {
      allocatedUpTo = upTo;
      allocatedUpToAtSnapshot = upTo;
    }
  }
}
