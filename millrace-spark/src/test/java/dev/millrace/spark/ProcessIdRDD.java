package dev.millrace.spark;

import dev.millrace.internal.EngineContext;
import dev.millrace.internal.rdd.ComputesAnywhere;
import dev.millrace.internal.rdd.Dependency;
import dev.millrace.internal.rdd.RDD;
import java.util.Iterator;
import java.util.List;

/**
 * A source dataset that computes its partitions wherever it runs: partition p holds one record,
 * p and the PID of the JVM that computed it, as "p:pid". Stands in for a file or offset-range
 * source in tests of where such sources are read.
 */
final class ProcessIdRDD extends RDD<String> implements ComputesAnywhere {
  private static final long serialVersionUID = 1L;
  private final int partitions;

  ProcessIdRDD(EngineContext context, int partitions) {
    super(context, "processIds");
    this.partitions = partitions;
  }

  @Override
  public int numPartitions() {
    return partitions;
  }

  @Override
  protected Iterator<String> compute(int partition) {
    return List.of(partition + ":" + ProcessHandle.current().pid()).iterator();
  }

  @Override
  public List<Dependency> dependencies() {
    return List.of();
  }
}
