package dev.millrace.internal.runtime;

import dev.millrace.MillraceConf;

/**
 * A provider registered in core's test resources: it accepts masters {@code test-runtime://N} and
 * makes a one-thread local runtime whose default parallelism is N, so a test can tell it was chosen.
 */
public final class FixedParallelismRuntimeProvider implements BatchRuntimeProvider {
  static final String PREFIX = "test-runtime://";

  @Override
  public boolean accepts(String master) {
    return master.startsWith(PREFIX);
  }

  @Override
  public BatchRuntime create(MillraceConf conf) {
    return new LocalRuntime(1, Integer.parseInt(conf.get("millrace.master").substring(PREFIX.length())));
  }
}
