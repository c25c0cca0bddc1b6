package dev.millrace.internal.rdd;

import dev.millrace.internal.EngineContext;
import java.util.Iterator;
import java.util.List;

/** A dataset over blocks received by a receiver: one partition per block, in the order stored. */
public final class BlockRDD<T> extends RDD<T> {
  private static final long serialVersionUID = 1L;

  private final List<List<T>> blocks;

  public BlockRDD(EngineContext context, List<List<T>> blocks) {
    super(context, "blockRDD");
    this.blocks = List.copyOf(blocks);
  }

  @Override
  public int numPartitions() {
    return blocks.size();
  }

  @Override
  protected Iterator<T> compute(int partition) {
    return blocks.get(partition).iterator();
  }

  @Override
  public List<Dependency> dependencies() {
    return List.of();
  }
}
