package dev.millrace.streaming.internal.receiver;

import dev.millrace.streaming.Time;
import dev.millrace.streaming.internal.StreamingEngine;
import dev.millrace.streaming.internal.dstream.ReceiverInputDStream;
import dev.millrace.streaming.receiver.Receiver;
import dev.millrace.streaming.scheduler.ReceiverInfo;
import dev.millrace.streaming.scheduler.StreamInputInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the receivers of one streaming context and the blocks they stored, and fixes which blocks
 * form which batch.
 *
 * <p>When batch T is generated, {@link #allocateBlocksToBatch(Time)} cuts every receiver's partial
 * block and assigns every block stored since the previous batch, that is in (T - interval, T], to
 * T, and reports each stream's record count. The receiver streams then read their blocks of T
 * with {@link #blocksOfBatch(Time, int)}; the allocation is dropped once T completed.
 *
 * <p>Thread-safe: blocks arrive from receiver threads, allocation happens on the batch generator
 * thread; the block queues are guarded by this object's lock.
 */
public final class ReceiverTracker {
  private final StreamingEngine ssc;
  private final Map<Integer, ReceiverSupervisor<?>> supervisors = new ConcurrentHashMap<>();
  private final Map<Integer, List<ReceivedBlock<?>>> unallocated = new HashMap<>();
  private final NavigableMap<Time, Map<Integer, List<ReceivedBlock<?>>>> allocated = new TreeMap<>();
  /** Per stream, the sequence number of the next record stored. */
  private final Map<Integer, Long> nextSeq = new HashMap<>();

  public ReceiverTracker(StreamingEngine ssc) {
    this.ssc = ssc;
  }

  /** Starts the receiver of {@code stream} on its own thread. */
  public <T> void startReceiver(ReceiverInputDStream<T> stream) {
    Receiver<T> receiver = stream.getReceiver();
    receiver.setReceiverId(stream.id());
    ReceiverSupervisor<T> supervisor = new ReceiverSupervisor<>(receiver, stream.id(), stream.toString(), ssc, this);
    dev.millrace.streaming.internal.checkpoint.WriteAheadLog wal = stream.writeAheadLog();
    if (wal != null) {
      supervisor.setWriteAheadLog(wal);
      synchronized (this) {
        nextSeq.put(stream.id(), wal.nextSeq());
      }
    }
    receiver.attachSupervisor(supervisor);
    synchronized (this) {
      unallocated.putIfAbsent(stream.id(), new ArrayList<>());
    }
    supervisors.put(stream.id(), supervisor);
    supervisor.start();
  }

  /** Stops the receiver of stream {@code streamId} for good; what it stored stays for the next batches. */
  public void stopReceiver(int streamId, String message) {
    ReceiverSupervisor<?> s = supervisors.get(streamId);
    if (s != null) {
      s.stop(message, null);
    }
  }

  /** Whether stream {@code streamId} stored records not yet assigned to a batch. */
  public boolean hasUnallocatedBlocks(int streamId) {
    ReceiverSupervisor<?> s = supervisors.get(streamId);
    if (s != null && s.hasBufferedRecords()) {
      return true;
    }
    synchronized (this) {
      List<ReceivedBlock<?>> q = unallocated.get(streamId);
      return q != null && !q.isEmpty();
    }
  }

  /** Records stored by stream {@code streamId} not yet assigned to a batch, counting only whole blocks. */
  public synchronized long unallocatedRecords(int streamId) {
    long n = 0;
    for (ReceivedBlock<?> b : unallocated.getOrDefault(streamId, List.of())) {
      n += b.size();
    }
    return n;
  }

  /**
   * The lag of stream {@code streamId}: records its receiver stored that are not yet assigned to a
   * batch (whole blocks and the block being filled); 0 for an unknown stream.
   */
  public long pendingRecords(int streamId) {
    ReceiverSupervisor<?> s = supervisors.get(streamId);
    long buffered = s == null ? 0 : s.bufferedRecords();
    return buffered + unallocatedRecords(streamId);
  }

  /** Records stream {@code streamId}'s receiver stored so far (0 for an unknown stream). */
  public long storedRecords(int streamId) {
    ReceiverSupervisor<?> s = supervisors.get(streamId);
    return s == null ? 0 : s.recordsStored();
  }

  /** Whether stream {@code streamId}'s receiver is running (started, not stopped or restarting). */
  public boolean isReceiverStarted(int streamId) {
    ReceiverSupervisor<?> s = supervisors.get(streamId);
    return s != null && s.isReceiverStarted();
  }

  synchronized void addBlock(ReceivedBlock<?> block) {
    // Blocks arrive in the order their records were stored (and logged), so counting numbers them.
    long seq = nextSeq.getOrDefault(block.streamId(), 0L);
    nextSeq.put(block.streamId(), seq + block.size());
    unallocated.computeIfAbsent(block.streamId(), id -> new ArrayList<>()).add(block.withFirstSeq(seq));
  }

  /**
   * Recovery: makes {@code blocks}, read back from the write-ahead log, the blocks of stream {@code
   * streamId} in batch {@code time}. Called before the receivers start.
   */
  public synchronized void restoreAllocated(Time time, int streamId, List<? extends ReceivedBlock<?>> blocks) {
    allocated.computeIfAbsent(time, t -> new HashMap<>()).put(streamId, new ArrayList<>(blocks));
  }

  /**
   * Recovery: queues {@code blocks}, read back from the write-ahead log, for the next batch of
   * stream {@code streamId}. Called before the receivers start.
   */
  public synchronized void restoreUnallocated(int streamId, List<? extends ReceivedBlock<?>> blocks) {
    unallocated.computeIfAbsent(streamId, id -> new ArrayList<>()).addAll(0, blocks);
  }

  /**
   * Assigns to batch {@code time} every block stored before now and reports each receiver stream's
   * record count for it. Called by the batch generator before the batch's jobs are built.
   */
  public void allocateBlocksToBatch(Time time) {
    if (supervisors.isEmpty()) {
      return;
    }
    for (ReceiverSupervisor<?> s : supervisors.values()) {
      s.cutBlock();
    }
    Map<Integer, List<ReceivedBlock<?>>> batch = new HashMap<>();
    synchronized (this) {
      if (allocated.containsKey(time)) {
        return;
      }
      for (Integer streamId : supervisors.keySet()) {
        List<ReceivedBlock<?>> q = unallocated.computeIfAbsent(streamId, id -> new ArrayList<>());
        batch.put(streamId, new ArrayList<>(q));
        q.clear();
      }
      allocated.put(time, batch);
    }
    for (Map.Entry<Integer, List<ReceivedBlock<?>>> e : batch.entrySet()) {
      long records = 0;
      for (ReceivedBlock<?> b : e.getValue()) {
        records += b.size();
      }
      ssc.inputInfoTracker().report(time, new StreamInputInfo(e.getKey(), records,
          Map.of(StreamInputInfo.METADATA_KEY_DESCRIPTION, e.getValue().size() + " block(s)")));
    }
  }

  /** The blocks of stream {@code streamId} in batch {@code time}; empty if none were allocated. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public synchronized <T> List<ReceivedBlock<T>> blocksOfBatch(Time time, int streamId) {
    Map<Integer, List<ReceivedBlock<?>>> batch = allocated.get(time);
    if (batch == null) {
      return List.of();
    }
    return (List) batch.getOrDefault(streamId, List.of());
  }

  /** Forgets the allocations of batches up to {@code time}; their datasets hold the blocks. */
  public synchronized void cleanupOldBatches(Time time) {
    allocated.headMap(time, true).clear();
  }

  /** The current state of every receiver, by stream id. */
  public Map<Integer, ReceiverInfo> receiverInfos() {
    Map<Integer, ReceiverInfo> out = new TreeMap<>();
    supervisors.forEach((id, s) -> out.put(id, s.info()));
    return out;
  }
}
