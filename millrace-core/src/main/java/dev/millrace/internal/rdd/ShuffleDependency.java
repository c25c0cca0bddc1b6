package dev.millrace.internal.rdd;

import dev.millrace.MillraceException;
import dev.millrace.Partitioner;
import dev.millrace.Tuple2;

/**
 * A dependency that redistributes a key/value parent by a {@link Partitioner}, optionally combining
 * values by key on the map side first.
 *
 * <p>The map side's output is kept here once computed, so every reader of the shuffle (several
 * output operations of one batch, a window reading an old batch) reuses it instead of recomputing.
 * It is released with the dataset.
 */
public final class ShuffleDependency<K, V, C> extends Dependency {
  private final Partitioner partitioner;
  private final Aggregator<V, C> aggregator;
  private final boolean mapSideCombine;
  private final String operation;
  private final String scope;
  private volatile ShuffleOutput output;

  ShuffleDependency(RDD<Tuple2<K, V>> rdd, Partitioner partitioner, Aggregator<V, C> aggregator,
      boolean mapSideCombine, String operation) {
    super(rdd);
    if (mapSideCombine && aggregator == null) {
      throw new IllegalArgumentException("Map-side combine without Aggregator specified!");
    }
    this.partitioner = partitioner;
    this.aggregator = aggregator;
    this.mapSideCombine = mapSideCombine;
    this.operation = operation;
    this.scope = CreationScope.current();
  }

  /**
   * Wraps a failure of the map side (a combine function, or a key's {@code hashCode}) with the
   * operation that needs this shuffle, since the dataset being read did not fail.
   */
  public MillraceException userFunctionFailed(Throwable e) {
    if (e instanceof MillraceException) {
      return (MillraceException) e;
    }
    return new MillraceException("User function of operation '" + operation + "' (map side of the shuffle of dataset "
        + rdd().id() + (scope == null ? "" : ", " + scope) + ") failed: " + e, e);
  }

  @SuppressWarnings("unchecked")
  public RDD<Tuple2<K, V>> parent() {
    return (RDD<Tuple2<K, V>>) rdd();
  }

  public Partitioner partitioner() {
    return partitioner;
  }

  /** The combine functions, or null when values are only redistributed. */
  public Aggregator<V, C> aggregator() {
    return aggregator;
  }

  public boolean mapSideCombine() {
    return mapSideCombine;
  }

  /** The operation that needs this shuffle, for error messages. */
  public String operation() {
    return operation;
  }

  /** The map side's output, or null while it has not run. */
  public ShuffleOutput output() {
    return output;
  }

  /** Records the map side's output; called once by the runtime. */
  public void setOutput(ShuffleOutput output) {
    this.output = output;
  }
}
