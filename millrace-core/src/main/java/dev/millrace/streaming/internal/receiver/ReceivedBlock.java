package dev.millrace.streaming.internal.receiver;

import java.util.List;

/**
 * One block of records stored by a receiver: the unit a batch is made of (one partition per
 * block). Immutable once pushed.
 *
 * @param streamId the input stream the block belongs to
 * @param blockId the block's sequence number within its stream, from 0
 * @param records the records, in the order they were stored
 */
public record ReceivedBlock<T>(int streamId, long blockId, List<T> records) {
  public ReceivedBlock {
    if (records == null) {
      throw new IllegalArgumentException("records must not be null");
    }
  }

  public int size() {
    return records.size();
  }
}
