package dev.millrace.internal.rdd;

/** A dependency whose child partitions read parent partitions directly, without a shuffle. */
public final class NarrowDependency extends Dependency {
  public NarrowDependency(RDD<?> rdd) {
    super(rdd);
  }
}
