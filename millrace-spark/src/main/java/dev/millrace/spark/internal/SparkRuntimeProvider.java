package dev.millrace.spark.internal;

import dev.millrace.MillraceConf;
import dev.millrace.internal.runtime.BatchRuntime;
import dev.millrace.internal.runtime.BatchRuntimeProvider;

/**
 * Selects the Spark runtime for the masters Apache Spark runs and Millrace's local runtime does
 * not: {@code spark://...}, {@code local-cluster[...]}, {@code yarn}, {@code k8s://...} and {@code
 * mesos://...}. Registered through {@code META-INF/services}. Stateless; thread-safe.
 */
public final class SparkRuntimeProvider implements BatchRuntimeProvider {

  @Override
  public boolean accepts(String master) {
    return master.startsWith("spark://") || master.startsWith("local-cluster[") || master.equals("yarn")
        || master.startsWith("k8s://") || master.startsWith("mesos://");
  }

  @Override
  public BatchRuntime create(MillraceConf conf) {
    return SparkRuntime.start(conf);
  }
}
