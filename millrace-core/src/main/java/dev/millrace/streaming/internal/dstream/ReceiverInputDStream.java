package dev.millrace.streaming.internal.dstream;

import dev.millrace.internal.rdd.BlockRDD;
import dev.millrace.internal.rdd.RDD;
import dev.millrace.streaming.Time;
import dev.millrace.streaming.internal.StreamingEngine;
import dev.millrace.streaming.internal.receiver.ReceivedBlock;
import dev.millrace.streaming.receiver.Receiver;
import java.util.ArrayList;
import java.util.List;

/**
 * An input stream fed by a {@link Receiver} running on a thread of its own. Batch T holds the
 * blocks the receiver stored since the previous batch, one partition per block.
 *
 * <p>Starting the context starts the receiver; a graceful stop stops it first, then keeps
 * generating batches until every block it stored was processed; a stop at once stops it and drops
 * what was not processed yet.
 */
public abstract class ReceiverInputDStream<T> extends InputDStream<T> {
  private static final long serialVersionUID = 1L;

  protected ReceiverInputDStream(StreamingEngine ssc, String operation) {
    super(ssc, operation);
  }

  /** The receiver to run; called once, when the context starts. */
  public abstract Receiver<T> getReceiver();

  @Override
  public void start() {
    context().receiverTracker().startReceiver(this);
  }

  @Override
  public void stop() {
    context().receiverTracker().stopReceiver(id(), "Stopped by driver");
  }

  @Override
  public void stopReceiving() {
    context().receiverTracker().stopReceiver(id(), "Stopped by driver (graceful stop)");
  }

  @Override
  public boolean hasPendingInput() {
    return context().receiverTracker().hasUnallocatedBlocks(id());
  }

  @Override
  protected RDD<T> compute(Time validTime) {
    List<ReceivedBlock<T>> blocks = context().receiverTracker().blocksOfBatch(validTime, id());
    List<List<T>> data = new ArrayList<>(blocks.size());
    for (ReceivedBlock<T> b : blocks) {
      data.add(b.records());
    }
    return new BlockRDD<>(context().engine(), data);
  }
}
