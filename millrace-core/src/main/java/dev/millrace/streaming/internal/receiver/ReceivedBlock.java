package dev.millrace.streaming.internal.receiver;

import java.util.List;

/**
 * One block of records stored by a receiver: the unit a batch is made of (one partition per
 * block). Immutable once pushed.
 *
 * @param streamId the input stream the block belongs to
 * @param blockId the block's sequence number within its stream, from 0
 * @param records the records, in the order they were stored
 * @param firstSeq the sequence number of the first record among all records its stream stored
 *     (across restarts; its position in the write-ahead log), or -1 before the tracker numbered it
 */
public record ReceivedBlock<T>(int streamId, long blockId, List<T> records, long firstSeq) {
  public ReceivedBlock {
    if (records == null) {
      throw new IllegalArgumentException("records must not be null");
    }
  }

  /** A block not numbered yet. */
  public ReceivedBlock(int streamId, long blockId, List<T> records) {
    this(streamId, blockId, records, -1);
  }

  /** This block with {@code firstSeq} as its first sequence number. */
  public ReceivedBlock<T> withFirstSeq(long seq) {
    return new ReceivedBlock<>(streamId, blockId, records, seq);
  }

  public int size() {
    return records.size();
  }
}
