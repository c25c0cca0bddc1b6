package dev.millrace.internal;

import dev.millrace.MillraceConf;
import dev.millrace.internal.config.ConfigKeys;
import dev.millrace.internal.runtime.BatchRuntime;
import dev.millrace.internal.runtime.BatchRuntimeProvider;
import dev.millrace.internal.runtime.LocalRuntime;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The engine behind a {@code JavaMillraceContext}: configuration, the runtime that executes plans,
 * and the id counters of datasets and shuffles. One per application.
 */
public final class EngineContext {
  private static final Pattern LOCAL_N = Pattern.compile("local\\[([0-9]+|\\*)\\]");

  private static final String APP_ID = "millrace.app.id";

  private final MillraceConf conf;
  private final BatchRuntime runtime;
  private final AtomicInteger nextRddId = new AtomicInteger();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final long startTime;

  public EngineContext(MillraceConf conf) {
    this.conf = conf.clone();
    String master = this.conf.get(ConfigKeys.MASTER);
    if (master == null) {
      throw new IllegalArgumentException("A master URL must be set in your configuration");
    }
    if (this.conf.get(ConfigKeys.APP_NAME) == null) {
      throw new IllegalArgumentException("An application name must be set in your configuration");
    }
    this.startTime = System.currentTimeMillis();
    this.runtime = runtimeFor(master, this.conf);
    if (!this.conf.contains(APP_ID)) {
      // As Spark: the id the cluster manager gave the application, else "local-<start time in ms>".
      String clusterId = runtime.applicationId();
      this.conf.set(APP_ID, clusterId != null ? clusterId : "local-" + startTime);
    }
  }

  /**
   * The local runtime for {@code local}, {@code local[N]} and {@code local[*]}; for any other master,
   * the runtime of the first {@link BatchRuntimeProvider} on the classpath that accepts it.
   */
  private static BatchRuntime runtimeFor(String master, MillraceConf conf) {
    if (!isLocal(master)) {
      for (BatchRuntimeProvider provider : ServiceLoader.load(BatchRuntimeProvider.class,
          EngineContext.class.getClassLoader())) {
        if (provider.accepts(master)) {
          return provider.create(conf);
        }
      }
    }
    int threads = threadsOf(master);
    int parallelism = conf.get(ConfigKeys.DEFAULT_PARALLELISM);
    return new LocalRuntime(threads, parallelism > 0 ? parallelism : threads);
  }

  /** Whether {@code master} is one the local runtime runs. */
  public static boolean isLocal(String master) {
    return master.equals("local") || LOCAL_N.matcher(master).matches();
  }

  /**
   * The worker threads a master URL asks for.
   *
   * @throws IllegalArgumentException for a master the local runtime cannot run
   */
  public static int threadsOf(String master) {
    if (master.equals("local")) {
      return 1;
    }
    Matcher m = LOCAL_N.matcher(master);
    if (m.matches()) {
      int n = m.group(1).equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(m.group(1));
      if (n < 1) {
        throw new IllegalArgumentException("Asked to run locally with " + n + " threads");
      }
      return n;
    }
    throw new IllegalArgumentException("Could not parse Master URL: '" + master
        + "' (Millrace runs local, local[N] and local[*]; cluster masters need the millrace-spark module)");
  }

  public MillraceConf conf() {
    return conf;
  }

  private volatile String checkpointDir;

  /** The directory for dataset (state) checkpoints, or null; see {@code JavaMillraceContext.setCheckpointDir}. */
  public String checkpointDir() {
    return checkpointDir;
  }

  public void setCheckpointDir(String directory) {
    this.checkpointDir = directory;
  }

  public BatchRuntime runtime() {
    return runtime;
  }

  public int defaultParallelism() {
    return runtime.defaultParallelism();
  }

  public int newRddId() {
    return nextRddId.getAndIncrement();
  }

  public String appName() {
    return conf.get(ConfigKeys.APP_NAME);
  }

  public String master() {
    return conf.get(ConfigKeys.MASTER);
  }

  /** Wall-clock time the context was created, for display only. */
  public long startTime() {
    return startTime;
  }

  public boolean isStopped() {
    return stopped.get();
  }

  /** Stops the runtime; idempotent. */
  public void stop() {
    if (stopped.compareAndSet(false, true)) {
      runtime.stop();
    }
  }

  /** Fails with Spark's message if the context was stopped. */
  public void assertNotStopped() {
    if (stopped.get()) {
      throw new IllegalStateException("Cannot call methods on a stopped MillraceContext.");
    }
  }
}
