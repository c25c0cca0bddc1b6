package dev.millrace.bench.compare;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The figures gathered from every child JVM of one comparison run; a metric measured by several
 * runs of the same engine is summarized by its median. Thread-safe.
 */
public final class Results {
  private final List<Result> all = Collections.synchronizedList(new ArrayList<>());

  public void add(Result r) {
    all.add(r);
  }

  /** Every figure, in the order added. */
  public List<Result> all() {
    synchronized (all) {
      return List.copyOf(all);
    }
  }

  /** The values of one metric, one per run that reported it. */
  public List<Double> values(String workload, String engine, String metric) {
    List<Double> out = new ArrayList<>();
    for (Result r : all()) {
      if (r.workload().equals(workload) && r.engine().equals(engine) && r.metric().equals(metric)) {
        out.add(r.value());
      }
    }
    return out;
  }

  /** The median over runs of one metric, or empty if no run reported it. */
  public OptionalDouble median(String workload, String engine, String metric) {
    List<Double> v = values(workload, engine, metric);
    return v.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(Stats.median(v));
  }
}
