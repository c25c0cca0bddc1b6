package dev.millrace.streaming.internal;

import dev.millrace.MillraceException;
import dev.millrace.api.java.JavaMillraceContext;
import dev.millrace.internal.EngineContext;
import dev.millrace.internal.config.ConfigKeys;
import dev.millrace.streaming.Duration;
import dev.millrace.streaming.StreamingContextState;
import dev.millrace.streaming.Time;
import dev.millrace.streaming.internal.checkpoint.Checkpointing;
import dev.millrace.streaming.internal.checkpoint.MetadataCheckpoint;
import dev.millrace.streaming.internal.dstream.InputDStream;
import dev.millrace.streaming.internal.dstream.QueueInputDStream;
import dev.millrace.streaming.internal.receiver.ReceiverTracker;
import dev.millrace.streaming.internal.scheduler.InputInfoTracker;
import dev.millrace.streaming.internal.scheduler.Job;
import dev.millrace.streaming.internal.scheduler.JobScheduler;
import dev.millrace.streaming.internal.scheduler.ListenerBus;
import dev.millrace.streaming.scheduler.StreamInputInfo;
import dev.millrace.streaming.scheduler.StreamingListener;
import dev.millrace.streaming.scheduler.StreamingListenerStreamingStarted;
import dev.millrace.util.Clock;
import dev.millrace.util.ManualClock;
import dev.millrace.util.SystemClock;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streaming context behind a {@code JavaStreamingContext}: the graph of streams, the clock, the
 * scheduler, the listeners, and the lifecycle rules (define, start once, stop once; one active
 * context per JVM).
 *
 * <p>Thread-safe: lifecycle methods synchronize on this object.
 */
public final class StreamingEngine implements JobScheduler.BatchSource {
  private static final Logger LOG = LoggerFactory.getLogger(StreamingEngine.class);
  private static final AtomicReference<StreamingEngine> ACTIVE = new AtomicReference<>();
  private static final AtomicInteger CONTEXT_IDS = new AtomicInteger();

  private final JavaMillraceContext sc;
  private final Duration batchDuration;
  private final DStreamGraph graph = new DStreamGraph();
  private final Clock clock;
  private final Clock wallClock = new SystemClock();
  private final ListenerBus listenerBus;
  private final InputInfoTracker inputInfoTracker = new InputInfoTracker();
  private final ThreadFactory threads;
  private final ReceiverTracker receiverTracker;
  private final Object termination = new Object();

  private volatile StreamingContextState state = StreamingContextState.INITIALIZED;
  private volatile Throwable error;
  private volatile String checkpointDir;
  private volatile PrintStream printStream = System.out;
  private volatile Object javaContext;
  private JobScheduler scheduler;
  private volatile dev.millrace.streaming.internal.checkpoint.StateCheckpointer stateCheckpointer;
  private volatile Checkpointing checkpointing;
  private volatile MetadataCheckpoint recovering;
  private Thread shutdownHook;
  private final List<AutoCloseable> plugins = new java.util.ArrayList<>();

  /**
   * @throws IllegalArgumentException if the batch duration is not positive
   */
  public StreamingEngine(JavaMillraceContext sc, Duration batchDuration) {
    this.sc = java.util.Objects.requireNonNull(sc, "sc");
    java.util.Objects.requireNonNull(batchDuration, "batchDuration");
    if (batchDuration.milliseconds() <= 0) {
      throw new IllegalArgumentException("Batch duration must be positive, was " + batchDuration);
    }
    if (sc.isStopped()) {
      throw new IllegalStateException("Cannot call methods on a stopped MillraceContext.");
    }
    this.batchDuration = batchDuration;
    this.clock = createClock(sc.engine());
    int contextId = CONTEXT_IDS.incrementAndGet();
    AtomicInteger n = new AtomicInteger();
    this.threads = r -> {
      Thread t = new Thread(r, "millrace-streaming-" + contextId + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    this.listenerBus = new ListenerBus(named("listener-bus"));
    this.receiverTracker = new ReceiverTracker(this);
  }

  private static Clock createClock(EngineContext engine) {
    String name = engine.conf().get(ConfigKeys.STREAMING_CLOCK);
    switch (name) {
      case "system":
      case "org.apache.spark.util.SystemClock":
        return new SystemClock();
      case "manual":
      case "org.apache.spark.util.ManualClock":
        // Spark's own tests name the clock class; a ported test keeps working.
        return new ManualClock();
      default:
        try {
          return (Clock) Class.forName(name).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
          throw new IllegalArgumentException(ConfigKeys.STREAMING_CLOCK.name() + " names " + name
              + ", which is not 'system', 'manual' or a Clock class with a no-argument constructor", e);
        }
    }
  }

  /** A thread factory whose threads carry {@code role} in their names. */
  public ThreadFactory named(String role) {
    return r -> {
      Thread t = threads.newThread(r);
      t.setName(t.getName() + "-" + role);
      return t;
    };
  }

  // ------------------------------------------------------------ accessors

  public JavaMillraceContext sparkContext() {
    return sc;
  }

  public EngineContext engine() {
    return sc.engine();
  }

  public Duration batchDuration() {
    return batchDuration;
  }

  public DStreamGraph graph() {
    return graph;
  }

  /** The clock that drives batches: a {@link ManualClock} under {@code millrace.streaming.clock=manual}. */
  public Clock clock() {
    return clock;
  }

  public InputInfoTracker inputInfoTracker() {
    return inputInfoTracker;
  }

  /** The receivers of this context and the blocks they stored. */
  public ReceiverTracker receiverTracker() {
    return receiverTracker;
  }

  public ListenerBus listenerBus() {
    return listenerBus;
  }

  public StreamingContextState state() {
    return state;
  }

  public String checkpointDir() {
    return checkpointDir;
  }

  /** Where {@code print()} writes; standard output unless changed before start. */
  public PrintStream printStream() {
    return printStream;
  }

  public void setPrintStream(PrintStream out) {
    this.printStream = java.util.Objects.requireNonNull(out, "out");
  }

  /** The Java-facing context wrapping this engine. */
  public Object javaContext() {
    return javaContext;
  }

  public void setJavaContext(Object javaContext) {
    this.javaContext = javaContext;
  }

  /** The started, not yet stopped context of this JVM, if any. */
  public static StreamingEngine active() {
    return ACTIVE.get();
  }

  /** The scheduler, once started; null before. */
  public synchronized JobScheduler scheduler() {
    return scheduler;
  }

  // ------------------------------------------------------------ definition

  /**
   * Fails with Spark's messages when the graph can no longer change.
   *
   * @throws IllegalStateException after start or stop
   */
  public void assertDefinable() {
    if (state == StreamingContextState.ACTIVE) {
      throw new IllegalStateException(
          "Adding new inputs, transformations, and output operations after starting a context is not supported");
    }
    if (state == StreamingContextState.STOPPED) {
      throw new IllegalStateException(
          "Adding new inputs, transformations, and output operations after stopping a context is not supported");
    }
  }

  public void checkpoint(String directory) {
    if (directory != null) {
      try {
        java.nio.file.Files.createDirectories(java.nio.file.Paths.get(directory));
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException("Cannot create checkpoint directory " + directory, e);
      }
    }
    this.checkpointDir = directory;
    if (directory != null) {
      // As in Spark, the streaming checkpoint directory is also the datasets' one.
      engine().setCheckpointDir(directory);
    }
  }

  public void remember(Duration duration) {
    graph.remember(duration);
  }

  public void addStreamingListener(StreamingListener listener) {
    listenerBus.addListener(java.util.Objects.requireNonNull(listener, "listener"));
  }

  public void removeStreamingListener(StreamingListener listener) {
    listenerBus.removeListener(listener);
  }

  // ------------------------------------------------------------ lifecycle

  /**
   * Starts the inputs and the batch generation.
   *
   * @throws IllegalStateException if stopped, or if another context of this JVM is active
   * @throws IllegalArgumentException if the graph has no output operation or is invalid
   */
  public synchronized void start() {
    switch (state) {
      case ACTIVE:
        LOG.warn("StreamingContext has already been started");
        return;
      case STOPPED:
        throw new IllegalStateException("StreamingContext has already been stopped");
      default:
        break;
    }
    if (!ACTIVE.compareAndSet(null, this)) {
      StreamingEngine running = ACTIVE.get();
      throw new IllegalStateException("Only one StreamingContext may be started in this JVM. "
          + "Currently running StreamingContext was started at " + (running == null ? "unknown" : running.startSite));
    }
    startSite = describeCaller();
    try {
      // As in Spark, a context that fails to start (e.g. has no output operation) is stopped.
      graph.validate();
      validateCheckpointing();
      scheduler = new JobScheduler(this, clock, wallClock, listenerBus, batchDuration.milliseconds(),
          engine().conf().get(ConfigKeys.CONCURRENT_JOBS), named("job-executor"));
      long first = scheduler.firstBatchTime();
      List<Time> replay = List.of();
      MetadataCheckpoint cp = recovering;
      if (cp == null) {
        graph.start(new Time(first - batchDuration.milliseconds()));
        startStateCheckpoints();
      } else {
        // Recovery: the graph keeps the checkpoint's zero time, progress and state are attached by
        // operator id, and the pending batches and those missed while down are re-run first.
        graph.start(new Time(cp.zeroTimeMs()));
        startStateCheckpoints();
        checkpointing.restore(cp);
        long cpTime = cp.checkpointTimeMs();
        first = Math.max(first, cpTime + batchDuration.milliseconds());
        java.util.TreeSet<Long> times = new java.util.TreeSet<>(cp.pendingTimesMs());
        for (long t = cpTime + batchDuration.milliseconds(); t < first; t += batchDuration.milliseconds()) {
          times.add(t);
        }
        List<Time> rerun = new java.util.ArrayList<>();
        for (long t : times) {
          rerun.add(new Time(t));
        }
        replay = rerun;
        LOG.info("Recovering from the checkpoint of batch {} ms in {}: re-running {} batch(es) {}, then from {} ms",
            cpTime, checkpointDir, rerun.size(), rerun, first);
      }
      if (checkpointing != null) {
        checkpointing.started(graph.zeroTime());
      }
      startPlugins(); // before any event, so plugin listeners see receivers start too
      listenerBus.start();
      for (InputDStream<?> in : graph.inputStreams()) {
        in.start();
      }
      state = StreamingContextState.ACTIVE;
      listenerBus.post(new StreamingListenerStreamingStarted(clock.getTimeMillis()));
      scheduler.start(replay, first);
    } catch (RuntimeException | Error e) {
      LOG.error("Error starting the context, marking it as stopped", e);
      if (scheduler != null) {
        scheduler.stopNow(1_000);
      }
      listenerBus.stop(1_000);
      closePlugins();
      state = StreamingContextState.STOPPED;
      ACTIVE.compareAndSet(this, null);
      synchronized (termination) {
        termination.notifyAll();
      }
      throw e;
    }
    if (engine().conf().get(ConfigKeys.STOP_GRACEFULLY_ON_SHUTDOWN)) {
      shutdownHook = new Thread(() -> stop(false, true), "millrace-streaming-shutdown-hook");
    } else {
      shutdownHook = new Thread(() -> stop(false, false), "millrace-streaming-shutdown-hook");
    }
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    LOG.info("StreamingContext started, first batch at {} ms", first());
  }

  private volatile String startSite = "unknown";

  /** Starts every {@link StreamingPlugin} on the classpath; one that fails is logged and skipped. */
  private void startPlugins() {
    java.util.Iterator<StreamingPlugin> found =
        java.util.ServiceLoader.load(StreamingPlugin.class, StreamingEngine.class.getClassLoader()).iterator();
    while (true) {
      StreamingPlugin plugin;
      try {
        if (!found.hasNext()) {
          return;
        }
        plugin = found.next();
      } catch (java.util.ServiceConfigurationError e) {
        LOG.error("A streaming plugin could not be loaded; the job runs without it", e);
        continue;
      }
      try {
        AutoCloseable handle = plugin.start(this);
        if (handle != null) {
          plugins.add(handle);
        }
      } catch (Exception | LinkageError e) {
        LOG.error("Streaming plugin {} failed to start; the job runs without it", plugin.getClass().getName(), e);
      }
    }
  }

  private void closePlugins() {
    for (int i = plugins.size() - 1; i >= 0; i--) {
      try {
        plugins.get(i).close();
      } catch (Exception e) {
        LOG.warn("Error stopping streaming plugin {}", plugins.get(i), e);
      }
    }
    plugins.clear();
  }

  private long first() {
    return graph.zeroTime().plus(batchDuration).milliseconds();
  }

  private static String describeCaller() {
    for (StackTraceElement e : Thread.currentThread().getStackTrace()) {
      if (!e.getClassName().startsWith("dev.millrace.streaming") && !e.getClassName().startsWith("java.")) {
        return e.toString();
      }
    }
    return "unknown";
  }

  /**
   * Gives stateful and input streams their operator ids and, with a checkpoint directory, starts
   * writing their state and the metadata checkpoints.
   */
  private void startStateCheckpoints() {
    if (checkpointing != null) {
      return;
    }
    List<dev.millrace.streaming.internal.dstream.DStream<?>> streams = graph.allStreams();
    if (checkpointDir == null && engine().checkpointDir() != null) {
      // State checkpoints only (setCheckpointDir): no metadata checkpoints, no recovery.
      stateCheckpointer = new dev.millrace.streaming.internal.checkpoint.StateCheckpointer(
          java.nio.file.Paths.get(engine().checkpointDir()), streams);
      Checkpointing.assignInputIds(graph.inputStreams());
    } else if (checkpointDir != null) {
      stateCheckpointer = new dev.millrace.streaming.internal.checkpoint.StateCheckpointer(
          java.nio.file.Paths.get(checkpointDir), streams);
      checkpointing = new Checkpointing(java.nio.file.Paths.get(checkpointDir), batchDuration, graph.inputStreams(),
          stateCheckpointer.statefulStreams());
    } else {
      dev.millrace.streaming.internal.checkpoint.StateCheckpointer.assignOperatorIds(streams);
      Checkpointing.assignInputIds(graph.inputStreams());
    }
  }

  /**
   * Makes the next {@link #start()} recover from {@code cp}: checks now that this context's graph
   * can take it over (so {@code getOrCreate} fails early), attaches it at start.
   *
   * @throws dev.millrace.streaming.internal.checkpoint.CheckpointIncompatibleException naming the
   *     operator and what changed
   * @throws IllegalStateException if the context was started already
   */
  public synchronized void recoverFrom(MetadataCheckpoint cp) {
    if (state != StreamingContextState.INITIALIZED) {
      throw new IllegalStateException("Only a context that was not started can recover from a checkpoint");
    }
    List<dev.millrace.streaming.internal.dstream.DStream<?>> streams = graph.allStreams();
    dev.millrace.streaming.internal.checkpoint.StateCheckpointer.assignOperatorIds(streams);
    Checkpointing check = new Checkpointing(java.nio.file.Paths.get(checkpointDir), batchDuration,
        graph.inputStreams(), statefulOf(streams));
    check.validate(cp);
    this.recovering = cp;
  }

  private static List<dev.millrace.streaming.internal.dstream.DStream<?>> statefulOf(
      List<dev.millrace.streaming.internal.dstream.DStream<?>> streams) {
    List<dev.millrace.streaming.internal.dstream.DStream<?>> out = new java.util.ArrayList<>();
    for (dev.millrace.streaming.internal.dstream.DStream<?> s : streams) {
      if (s.stateKind() != null) {
        out.add(s);
      }
    }
    return out;
  }

  /** The metadata checkpoint writer, while started with a checkpoint directory; else null. */
  public Checkpointing checkpointing() {
    return checkpointing;
  }

  /** Stateful and checkpointed streams need a checkpoint directory, as in Spark. */
  private void validateCheckpointing() {
    if (checkpointDir == null && engine().conf().get(ConfigKeys.RECEIVER_WAL_ENABLE)) {
      for (InputDStream<?> in : graph.inputStreams()) {
        if (in instanceof dev.millrace.streaming.internal.dstream.ReceiverInputDStream) {
          throw new IllegalArgumentException("Cannot enable receiver write-ahead log without checkpoint directory "
              + "set. Please use streamingContext.checkpoint() to set the checkpoint directory.");
        }
      }
    }
    if (checkpointDir != null) {
      for (InputDStream<?> in : graph.inputStreams()) {
        if (in instanceof QueueInputDStream) {
          throw new IllegalArgumentException("queueStream doesn't support checkpointing. "
              + "Please don't use queueStream when checkpointing is enabled.");
        }
      }
    }
    for (dev.millrace.streaming.internal.dstream.DStream<?> s : graph.allStreams()) {
      if ((s.mustCheckpoint() || s.checkpointDuration() != null) && checkpointDir == null
          && engine().checkpointDir() == null) {
        throw new IllegalArgumentException("requirement failed: The checkpoint directory has not been set. "
            + "Please set it by StreamingContext.checkpoint().");
      }
    }
  }

  /**
   * Stops the context: gracefully (inputs flushed, every received record processed, bounded by
   * {@code spark.streaming.gracefulStopTimeout}) or at once. Idempotent.
   */
  public void stop(boolean stopSparkContext, boolean stopGracefully) {
    synchronized (this) {
      switch (state) {
        case INITIALIZED:
          state = StreamingContextState.STOPPED;
          LOG.warn("StreamingContext has not been started yet");
          break;
        case STOPPED:
          LOG.warn("StreamingContext has already been stopped");
          break;
        case ACTIVE:
          stopActive(stopGracefully);
          state = StreamingContextState.STOPPED;
          ACTIVE.compareAndSet(this, null);
          if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
              Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
              // the JVM is shutting down already
            }
          }
          break;
        default:
          throw new AssertionError(state);
      }
    }
    synchronized (termination) {
      termination.notifyAll();
    }
    if (stopSparkContext) {
      sc.stop();
    }
  }

  private void stopActive(boolean graceful) {
    List<InputDStream<?>> inputs = graph.inputStreams();
    if (graceful) {
      Long configured = engine().conf().get(ConfigKeys.GRACEFUL_STOP_TIMEOUT);
      long timeout = configured != null ? configured : 10 * batchDuration.milliseconds();
      for (InputDStream<?> in : inputs) {
        in.stopReceiving();
      }
      boolean clean = scheduler.stopGracefully(() -> inputs.stream().noneMatch(InputDStream::hasPendingInput),
          timeout);
      if (!clean) {
        LOG.warn("Timed out while stopping gracefully (timeout = {} ms, spark.streaming.gracefulStopTimeout): "
            + "{} batch(es) were still being processed and may be lost", timeout, scheduler.pendingBatches());
      }
      // A last checkpoint, so that a restart neither re-runs what was completed nor misses what was not.
      Checkpointing cp = checkpointing;
      if (cp != null && scheduler.lastGenerated() != null) {
        try {
          JobScheduler sched = scheduler;
          cp.write(() -> new Checkpointing.BatchState(sched.lastGenerated(), sched.lastCompleted(),
              sched.pendingTimes()));
        } catch (RuntimeException e) {
          LOG.warn("Cannot write the last checkpoint while stopping", e);
        }
      }
    }
    scheduler.stopNow(graceful ? 10_000 : 2_000);
    for (InputDStream<?> in : inputs) {
      try {
        in.stop();
      } catch (RuntimeException e) {
        LOG.warn("Error stopping {}", in, e);
      }
    }
    listenerBus.stop(5_000);
    closePlugins();
    LOG.info("StreamingContext stopped {}", graceful ? "gracefully" : "");
  }

  /**
   * Waits for the context to stop or fail.
   *
   * @param timeoutMs longest wait; negative means forever
   * @return true if it stopped
   * @throws MillraceException rethrowing the first error reported while running
   */
  public boolean awaitTermination(long timeoutMs) throws InterruptedException {
    long deadline = timeoutMs < 0 ? Long.MAX_VALUE : wallClock.getTimeMillis() + timeoutMs;
    synchronized (termination) {
      while (true) {
        Throwable e = error;
        if (e != null) {
          if (e instanceof RuntimeException) {
            throw (RuntimeException) e;
          }
          if (e instanceof Error) {
            throw (Error) e;
          }
          throw new MillraceException(e.getMessage(), e);
        }
        if (state == StreamingContextState.STOPPED) {
          return true;
        }
        long left = deadline - wallClock.getTimeMillis();
        if (left <= 0) {
          return false;
        }
        termination.wait(Math.min(left, 100));
      }
    }
  }

  // ------------------------------------------------------------ BatchSource

  @Override
  public List<Job> generateJobs(Time time) {
    // Fix the receivers' blocks of this batch first, as Spark's JobGenerator does.
    receiverTracker.allocateBlocksToBatch(time);
    return graph.generateJobs(time);
  }

  @Override
  public Map<Integer, StreamInputInfo> takeInputInfos(Time time) {
    return inputInfoTracker.take(time);
  }

  @Override
  public void batchGenerated(Time time) {
    Checkpointing cp = checkpointing;
    JobScheduler s = scheduler;
    if (cp != null && s != null) {
      // The view is read under the writer's lock: see Checkpointing.
      cp.write(() -> new Checkpointing.BatchState(s.lastGenerated(), s.lastCompleted(), s.pendingTimes()));
    }
  }

  @Override
  public void batchCompleted(Time time) {
    dev.millrace.streaming.internal.checkpoint.StateCheckpointer checkpointer = stateCheckpointer;
    Checkpointing cp = checkpointing;
    JobScheduler s = scheduler;
    // A batch whose output failed stays pending in the checkpoints (a recovery re-runs it), as in
    // Spark, where it is never marked completed: no state checkpoint of it, no checkpoint here.
    boolean failed = s != null && s.hasFailed(time);
    if (checkpointer != null && !failed) {
      for (String op : checkpointer.afterBatch(time)) {
        if (cp != null) {
          cp.stateWritten(op, time);
        }
      }
    }
    if (cp != null && s != null && !failed) {
      // The scheduler no longer counts this batch as pending, though it keeps it running until this
      // completion work is done. The view is read under the writer's lock: see Checkpointing.
      cp.write(() -> {
        Time last = s.lastCompleted();
        return new Checkpointing.BatchState(s.lastGenerated(), last == null || time.greater(last) ? time : last,
            s.pendingTimes());
      });
    }
    graph.clearMetadata(time);
    receiverTracker.cleanupOldBatches(time);
  }

  @Override
  public void reportError(Throwable e) {
    synchronized (termination) {
      if (error == null) {
        error = e;
      }
      termination.notifyAll();
    }
  }

  /** The first error reported, or null. */
  public Throwable error() {
    return error;
  }
}
