package dev.millrace.internal.rdd;

/**
 * An edge of a dataset plan: how a dataset reads its parent.
 *
 * <p>A {@link NarrowDependency} reads parent partitions directly, so the two fuse into one pass; a
 * {@link ShuffleDependency} needs the parent's output redistributed by key first, which splits the
 * plan into stages.
 */
public abstract class Dependency {
  private final RDD<?> rdd;

  Dependency(RDD<?> rdd) {
    this.rdd = rdd;
  }

  /** The parent dataset. */
  public RDD<?> rdd() {
    return rdd;
  }
}
