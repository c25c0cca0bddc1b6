package dev.millrace.streaming.api.java;

import dev.millrace.MillraceConf;
import dev.millrace.Tuple2;
import dev.millrace.api.java.JavaMillraceContext;
import dev.millrace.api.java.JavaPairRDD;
import dev.millrace.api.java.JavaRDD;
import dev.millrace.api.java.function.Function;
import dev.millrace.api.java.function.Function0;
import dev.millrace.api.java.function.Function2;
import dev.millrace.internal.config.ConfigKeys;
import dev.millrace.internal.rdd.RDD;
import dev.millrace.storage.StorageLevel;
import dev.millrace.streaming.Duration;
import dev.millrace.streaming.StreamingContextState;
import dev.millrace.streaming.internal.StreamingEngine;
import dev.millrace.streaming.internal.dstream.DStream;
import dev.millrace.streaming.internal.dstream.FileFormats;
import dev.millrace.streaming.internal.dstream.FileInputDStream;
import dev.millrace.streaming.internal.dstream.PluggableInputDStream;
import dev.millrace.streaming.internal.dstream.QueueInputDStream;
import dev.millrace.streaming.internal.dstream.RawInputDStream;
import dev.millrace.streaming.internal.dstream.SocketInputDStream;
import dev.millrace.streaming.receiver.Receiver;
import dev.millrace.streaming.scheduler.StreamingListener;
import java.io.Closeable;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;

/**
 * The entry point of a streaming application: defines input streams, starts and stops batch
 * processing.
 *
 * <p>The port of Spark's {@code JavaStreamingContext}, with its lifecycle rules and messages:
 * define the inputs, transformations and at least one output operation, then {@link #start()};
 * nothing can be added after start; a stopped context cannot be restarted; only one context per
 * JVM can be active; {@link #stop()} also stops the underlying {@link JavaMillraceContext} unless
 * {@code stop(false)} is used, after which that context can serve a new streaming context.
 *
 * <pre>{@code
 * MillraceConf conf = new MillraceConf().setMaster("local[2]").setAppName("NetworkWordCount");
 * JavaStreamingContext jssc = new JavaStreamingContext(conf, Durations.seconds(1));
 * JavaReceiverInputDStream<String> lines = jssc.socketTextStream("localhost", 9999);
 * lines.flatMap(l -> Arrays.asList(l.split(" ")).iterator()).countByValue().print();
 * jssc.start();
 * jssc.awaitTermination();
 * }</pre>
 *
 * <p>Lifecycle methods are thread-safe; batches are generated on a thread of the context's own.
 */
public class JavaStreamingContext implements Closeable {
  private final StreamingEngine ssc;

  /** A context over a new {@link JavaMillraceContext} made from {@code conf}. */
  public JavaStreamingContext(MillraceConf conf, Duration batchDuration) {
    this(new JavaMillraceContext(conf), batchDuration);
  }

  /** A context over an existing {@link JavaMillraceContext}. */
  public JavaStreamingContext(JavaMillraceContext sparkContext, Duration batchDuration) {
    this.ssc = new StreamingEngine(sparkContext, batchDuration);
    ssc.setJavaContext(this);
  }

  /** A context over a new {@link JavaMillraceContext} with this master and application name. */
  public JavaStreamingContext(String master, String appName, Duration batchDuration) {
    this(new MillraceConf().setMaster(master).setAppName(appName), batchDuration);
  }

  /** Internal: the engine behind this context. */
  public StreamingEngine ssc() {
    return ssc;
  }

  /** The batch context this streaming context runs on. */
  public JavaMillraceContext sparkContext() {
    return ssc.sparkContext();
  }

  /** Same as {@link #sparkContext()}. */
  public JavaMillraceContext millraceContext() {
    return ssc.sparkContext();
  }

  public StreamingContextState getState() {
    return ssc.state();
  }

  // ------------------------------------------------------------ inputs

  /**
   * A stream that takes one dataset from {@code queue} per batch; an empty queue gives an empty batch.
   *
   * <p>Unlike Spark's Java {@code queueStream}, which copies the queue once when called, Millrace
   * reads the queue itself at every batch (as Spark's Scala {@code queueStream} does), so datasets
   * added after the stream was created are processed too. A program that fills the queue first, as
   * Spark's examples do, behaves the same on both. Use a thread-safe queue when adding while the
   * context runs. Like Spark's, a queue stream cannot be recovered from a checkpoint.
   */
  public <T> JavaInputDStream<T> queueStream(Queue<JavaRDD<T>> queue) {
    return queueStream(queue, true);
  }

  /** A stream over {@code queue}: one dataset per batch, or all queued datasets unless {@code oneAtATime}. */
  public <T> JavaInputDStream<T> queueStream(Queue<JavaRDD<T>> queue, boolean oneAtATime) {
    return new JavaInputDStream<>(new QueueInputDStream<>(ssc, new RddQueue<>(queue), oneAtATime, null));
  }

  /** As {@link #queueStream(Queue, boolean)}, with {@code defaultRDD} for batches when the queue is empty. */
  public <T> JavaInputDStream<T> queueStream(Queue<JavaRDD<T>> queue, boolean oneAtATime, JavaRDD<T> defaultRDD) {
    return new JavaInputDStream<>(
        new QueueInputDStream<>(ssc, new RddQueue<>(queue), oneAtATime, Objects.requireNonNull(defaultRDD).rdd()));
  }

  /**
   * A stream of the UTF-8 text lines sent by the TCP server at {@code hostname:port}, received with
   * storage level {@code MEMORY_AND_DISK_SER_2}. See {@link #socketTextStream(String, int,
   * StorageLevel)}.
   */
  public JavaReceiverInputDStream<String> socketTextStream(String hostname, int port) {
    return socketTextStream(hostname, port, StorageLevel.MEMORY_AND_DISK_SER_2());
  }

  /**
   * A stream of the text lines sent by the TCP server at {@code hostname:port}; the receiver
   * connects as a client, as Spark's does (start the server first, e.g. {@code nc -lk 9999}).
   *
   * <p>Lines are decoded as UTF-8 (invalid bytes become U+FFFD) and end at {@code \n}, {@code \r}
   * or {@code \r\n}. A line longer than {@code millrace.streaming.maxLineLength} (1 MiB characters)
   * is skipped without being held in memory and reported: a receiver-error event to listeners and
   * a warning in the log naming the stream. A refused or closed connection is reported the same
   * way and the receiver reconnects after {@code spark.streaming.receiverRestartDelay} (2 s).
   *
   * @throws IllegalStateException if the context was started or stopped
   */
  public JavaReceiverInputDStream<String> socketTextStream(String hostname, int port, StorageLevel storageLevel) {
    return new JavaReceiverInputDStream<>(SocketInputDStream.text(ssc, hostname, port, storageLevel));
  }

  /**
   * A stream of the records {@code converter} makes of what the TCP server at {@code hostname:port}
   * sends. The converter gets the connection's input stream and returns the records lazily; it is
   * called again after each reconnection. Errors and a closed connection restart the receiver after
   * the restart delay, as in {@link #socketTextStream(String, int, StorageLevel)}.
   */
  public <T> JavaReceiverInputDStream<T> socketStream(String hostname, int port,
      Function<InputStream, Iterable<T>> converter, StorageLevel storageLevel) {
    Objects.requireNonNull(converter, "converter");
    return new JavaReceiverInputDStream<>(new SocketInputDStream<T>(ssc, "socketStream", hostname, port,
        (in, receiver) -> converter.call(in).iterator(), storageLevel));
  }

  /** As {@link #rawSocketStream(String, int, StorageLevel)} with {@code MEMORY_AND_DISK_SER_2}. */
  public <T> JavaReceiverInputDStream<T> rawSocketStream(String hostname, int port) {
    return rawSocketStream(hostname, port, StorageLevel.MEMORY_AND_DISK_SER_2());
  }

  /**
   * A stream of records sent in blocks by the TCP server at {@code hostname:port}, without any
   * conversion. The framing: each block is a 4-byte big-endian length N followed by N bytes, which
   * are a Java serialization stream ({@code ObjectOutputStream}) holding the block's records one
   * after another; each frame becomes one block of the stream. (Spark's framing is the same, with
   * Spark's configured serializer in place of Java serialization.) A frame that is not such a
   * stream is reported and skipped; a negative length restarts the receiver.
   */
  public <T> JavaReceiverInputDStream<T> rawSocketStream(String hostname, int port, StorageLevel storageLevel) {
    return new JavaReceiverInputDStream<>(new RawInputDStream<T>(ssc, hostname, port, storageLevel));
  }

  /**
   * A stream fed by the user's {@code receiver}, which runs on a thread of its own from start to
   * stop. See {@link Receiver} for its contract.
   *
   * @throws IllegalStateException if the context was started or stopped
   */
  public <T> JavaReceiverInputDStream<T> receiverStream(Receiver<T> receiver) {
    return new JavaReceiverInputDStream<>(new PluggableInputDStream<>(ssc, receiver));
  }

  /**
   * A stream of the lines of the text files that newly appear in {@code directory}. Files are
   * selected as Spark's {@code FileInputDStream} selects them: listed every batch; new if their
   * modification time is within {@code spark.streaming.fileStream.minRememberDuration} (60 s) and
   * after the context started, and not selected before; names starting with {@code .} are
   * ignored. Write files elsewhere and move them into the directory atomically. {@code .gz} files
   * are decompressed; lines are UTF-8 (invalid bytes become U+FFFD); a file that vanished or cannot
   * be read is reported in the log and the batch goes on. See {@code docs/sources.md}.
   */
  public JavaDStream<String> textFileStream(String directory) {
    return new JavaDStream<>(new FileInputDStream<>(ssc, "textFileStream", directory, FileInputDStream.DEFAULT_FILTER,
        true, FileFormats.textLines(ssc.engine().conf().get(ConfigKeys.MAX_LINE_LENGTH))).map(Tuple2::_2));
  }

  /**
   * A stream of the fixed-length records ({@code recordLength} bytes each) of the binary files that
   * newly appear in {@code directory}, selected as {@link #textFileStream(String)} selects files. A
   * file whose length is not a multiple of {@code recordLength} gives its whole records, and its
   * trailing bytes are reported in the log with the file's name.
   *
   * @throws IllegalArgumentException if {@code recordLength} is not positive
   */
  public JavaDStream<byte[]> binaryRecordsStream(String directory, int recordLength) {
    return new JavaDStream<>(new FileInputDStream<>(ssc, "binaryRecordsStream", directory,
        FileInputDStream.DEFAULT_FILTER, true, FileFormats.fixedLengthRecords(recordLength)));
  }

  /** {@link #fileStream(String, Function, boolean)} with the default filter (no hidden files), new files only. */
  public JavaPairInputDStream<Long, String> fileStream(String directory) {
    return fileStream(directory, FileInputDStream.DEFAULT_FILTER, true);
  }

  /**
   * A stream of the text lines of the files that newly appear in {@code directory}, each keyed by
   * the byte offset where the line starts, as Spark's {@code fileStream} with Hadoop's {@code
   * TextInputFormat} gives them ({@code LongWritable} offset, {@code Text} line). Millrace has no
   * Hadoop InputFormat: this form always reads text lines; use {@link
   * #binaryRecordsStream(String, int)} for binary records.
   *
   * @param filter which paths to consider; it replaces the default filter, which ignores names
   *     starting with {@code .} (as in Spark)
   * @param newFilesOnly whether to ignore the files already in the directory when the context
   *     starts (those modified at or before the start time)
   */
  public JavaPairInputDStream<Long, String> fileStream(String directory, Function<Path, Boolean> filter,
      boolean newFilesOnly) {
    return new JavaPairInputDStream<>(new FileInputDStream<>(ssc, "fileStream", directory, filter, newFilesOnly,
        FileFormats.textLines(ssc.engine().conf().get(ConfigKeys.MAX_LINE_LENGTH))));
  }

  // ------------------------------------------------------------ combining streams

  /** The records of all the given streams, batch by batch. */
  @SafeVarargs
  public final <T> JavaDStream<T> union(JavaDStream<T>... jdstreams) {
    if (jdstreams.length == 0) {
      throw new IllegalArgumentException("Union of zero streams");
    }
    DStream<T> out = jdstreams[0].dstream();
    List<DStream<T>> all = new ArrayList<>();
    for (JavaDStream<T> s : jdstreams) {
      all.add(s.dstream());
    }
    return new JavaDStream<>(all.size() == 1 ? out : unionOf(all));
  }

  /** The pairs of all the given streams, batch by batch. */
  @SafeVarargs
  public final <K, V> JavaPairDStream<K, V> union(JavaPairDStream<K, V>... jdstreams) {
    if (jdstreams.length == 0) {
      throw new IllegalArgumentException("Union of zero streams");
    }
    List<DStream<Tuple2<K, V>>> all = new ArrayList<>();
    for (JavaPairDStream<K, V> s : jdstreams) {
      all.add(s.dstream());
    }
    return new JavaPairDStream<>(all.size() == 1 ? all.get(0) : unionOf(all));
  }

  private static <T> DStream<T> unionOf(List<DStream<T>> all) {
    DStream<T> out = all.get(0);
    // A chain of binary unions keeps partition order: first stream's partitions first.
    List<DStream<T>> rest = all.subList(1, all.size());
    for (DStream<T> s : rest) {
      out = out.union(s);
    }
    return out;
  }

  /** A stream whose batches are {@code f} of the given streams' batches of the same time. */
  public <T> JavaDStream<T> transform(List<JavaDStream<?>> dstreams, Function2<List<JavaRDD<?>>, dev.millrace.streaming.Time, JavaRDD<T>> f) {
    return new JavaDStream<>(transformed(dstreams, "transform", (rdds, t) -> {
      List<JavaRDD<?>> wrapped = new ArrayList<>();
      for (RDD<?> r : rdds) {
        wrapped.add(wrap(r));
      }
      JavaRDD<T> out = f.call(wrapped, t);
      // null stays null: the stream then reports "returned null" with the batch time.
      return out == null ? null : out.rdd();
    }));
  }

  /** A pair stream whose batches are {@code f} of the given streams' batches of the same time. */
  public <K, V> JavaPairDStream<K, V> transformToPair(List<JavaDStream<?>> dstreams,
      Function2<List<JavaRDD<?>>, dev.millrace.streaming.Time, JavaPairRDD<K, V>> f) {
    return new JavaPairDStream<>(transformed(dstreams, "transformToPair", (rdds, t) -> {
      List<JavaRDD<?>> wrapped = new ArrayList<>();
      for (RDD<?> r : rdds) {
        wrapped.add(wrap(r));
      }
      JavaPairRDD<K, V> out = f.call(wrapped, t);
      return out == null ? null : out.rdd();
    }));
  }

  private static <T> JavaRDD<T> wrap(RDD<T> rdd) {
    return new JavaRDD<>(rdd);
  }

  private <T> DStream<T> transformed(List<JavaDStream<?>> dstreams, String operation,
      Function2<List<RDD<?>>, dev.millrace.streaming.Time, RDD<T>> f) {
    if (dstreams.isEmpty()) {
      throw new IllegalArgumentException("transform needs at least one stream");
    }
    List<DStream<?>> parents = new ArrayList<>();
    for (JavaDStream<?> s : dstreams) {
      parents.add(s.dstream());
    }
    return dev.millrace.streaming.internal.dstream.Transforms.of(parents, operation, f);
  }

  // ------------------------------------------------------------ settings

  /** Sets the directory for checkpoints; stateful operations need one. */
  public void checkpoint(String directory) {
    ssc.checkpoint(directory);
  }

  /** Keeps every stream's datasets for at least {@code duration}, e.g. for {@code slice} or ad-hoc queries. */
  public void remember(Duration duration) {
    ssc.remember(Objects.requireNonNull(duration, "duration"));
  }

  public void addStreamingListener(StreamingListener streamingListener) {
    ssc.addStreamingListener(streamingListener);
  }

  public void removeStreamingListener(StreamingListener streamingListener) {
    ssc.removeStreamingListener(streamingListener);
  }

  // ------------------------------------------------------------ lifecycle

  /**
   * Starts processing.
   *
   * @throws IllegalStateException if the context was stopped, or another context is active in this JVM
   * @throws IllegalArgumentException if no output operation was defined
   */
  public void start() {
    ssc.start();
  }

  /**
   * Waits until the context stops.
   *
   * @throws dev.millrace.MillraceException if a batch failed while running
   */
  public void awaitTermination() throws InterruptedException {
    ssc.awaitTermination(-1);
  }

  /**
   * Waits until the context stops, at most {@code timeout} milliseconds.
   *
   * @return true if it stopped, false if the time ran out
   * @throws dev.millrace.MillraceException if a batch failed while running
   */
  public boolean awaitTerminationOrTimeout(long timeout) throws InterruptedException {
    return ssc.awaitTermination(timeout);
  }

  /** Stops at once, and stops the underlying context. */
  public void stop() {
    stop(ssc.engine().conf().getBoolean("millrace.streaming.stopSparkContextByDefault", true));
  }

  /** Stops at once; also stops the underlying context if {@code stopSparkContext}. */
  public void stop(boolean stopSparkContext) {
    ssc.stop(stopSparkContext, false);
  }

  /**
   * Stops; with {@code stopGracefully}, first processes everything received (bounded by
   * {@code spark.streaming.gracefulStopTimeout}, default 10 batch intervals).
   */
  public void stop(boolean stopSparkContext, boolean stopGracefully) {
    ssc.stop(stopSparkContext, stopGracefully);
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  // ------------------------------------------------------------ the active context

  /** The started, not yet stopped context of this JVM, if any. */
  public static java.util.Optional<JavaStreamingContext> getActive() {
    StreamingEngine active = StreamingEngine.active();
    return active == null ? java.util.Optional.empty()
        : java.util.Optional.of((JavaStreamingContext) active.javaContext());
  }

  /**
   * Recreates a context from the checkpoint in {@code checkpointPath}, or creates a new one with
   * {@code creatingFunc} if there is none. Fails if the checkpoint cannot be read.
   *
   * @see #getOrCreate(String, Function0, boolean)
   */
  public static JavaStreamingContext getOrCreate(String checkpointPath, Function0<JavaStreamingContext> creatingFunc) {
    return getOrCreate(checkpointPath, creatingFunc, false);
  }

  /**
   * Recreates a context from the checkpoint in {@code checkpointPath}, or creates a new one with
   * {@code creatingFunc} if the directory holds no checkpoint.
   *
   * <p>Unlike Spark, the program is never deserialized from the checkpoint: {@code creatingFunc} is
   * always called, so the graph is the current code's. The checkpoint then supplies data only: the
   * zero time, the batches to re-run (those pending when the program stopped, then those missed
   * while it was down, at their original times, before any new batch), each input stream's progress
   * and each stateful operator's state, matched by stable operator id (kind and position in the
   * graph, or the name given with {@code name(String)}). So operators may be added, functions and
   * configuration changed. If {@code creatingFunc} does not set a checkpoint directory, {@code
   * checkpointPath} is used.
   *
   * <pre>{@code
   * JavaStreamingContext jssc = JavaStreamingContext.getOrCreate("/ck", () -> {
   *   JavaStreamingContext c = new JavaStreamingContext(conf, Durations.seconds(1));
   *   c.checkpoint("/ck");
   *   c.textFileStream("/in").countByValue().print();
   *   return c;
   * });
   * jssc.start();
   * }</pre>
   *
   * @param createOnError whether to create a new context (logging why) when the checkpoint cannot be
   *     read, instead of failing
   * @throws dev.millrace.streaming.internal.checkpoint.CheckpointIncompatibleException if the program
   *     cannot take over the checkpoint: a stateful operator was removed or changed kind, or the batch
   *     interval changed; the message names the operator and says how to start fresh
   * @throws dev.millrace.MillraceException if the checkpoint cannot be read and not {@code
   *     createOnError}, or {@code creatingFunc} failed
   */
  public static JavaStreamingContext getOrCreate(String checkpointPath, Function0<JavaStreamingContext> creatingFunc,
      boolean createOnError) {
    Objects.requireNonNull(checkpointPath, "checkpointPath");
    Objects.requireNonNull(creatingFunc, "creatingFunc");
    dev.millrace.streaming.internal.checkpoint.MetadataCheckpoint cp;
    try {
      cp = dev.millrace.streaming.internal.checkpoint.Checkpointing.readLatest(java.nio.file.Paths.get(checkpointPath));
    } catch (RuntimeException e) {
      if (!createOnError) {
        throw e;
      }
      org.slf4j.LoggerFactory.getLogger(JavaStreamingContext.class).warn(
          "Cannot read the checkpoint in {}; creating a new context as createOnError is set", checkpointPath, e);
      cp = null;
    }
    JavaStreamingContext context = create(creatingFunc);
    if (context.ssc.checkpointDir() == null) {
      context.checkpoint(checkpointPath);
    }
    if (cp != null) {
      try {
        context.ssc.recoverFrom(cp);
      } catch (RuntimeException e) {
        context.ssc.stop(true, false);
        throw e;
      }
    }
    return context;
  }

  /**
   * The active context, or one from {@link #getOrCreate(String, Function0)}.
   */
  public static JavaStreamingContext getActiveOrCreate(String checkpointPath,
      Function0<JavaStreamingContext> creatingFunc) {
    synchronized (JavaStreamingContext.class) {
      java.util.Optional<JavaStreamingContext> active = getActive();
      if (active.isPresent()) {
        return active.get();
      }
      return getOrCreate(checkpointPath, creatingFunc);
    }
  }

  private static JavaStreamingContext create(Function0<JavaStreamingContext> creatingFunc) {
    JavaStreamingContext context;
    try {
      context = creatingFunc.call();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new dev.millrace.MillraceException("The function creating the streaming context failed: " + e, e);
    }
    if (context == null) {
      throw new IllegalArgumentException("The function creating the streaming context returned null");
    }
    return context;
  }

  /** The active context, or a new one from {@code creatingFunc}. */
  public static JavaStreamingContext getActiveOrCreate(Function0<JavaStreamingContext> creatingFunc) {
    synchronized (JavaStreamingContext.class) {
      java.util.Optional<JavaStreamingContext> active = getActive();
      if (active.isPresent()) {
        return active.get();
      }
      try {
        return creatingFunc.call();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new dev.millrace.MillraceException("The function creating the streaming context failed: " + e, e);
      }
    }
  }

  /** A view of a queue of Java datasets as a queue of plans, polling the user's queue. */
  private static final class RddQueue<T> extends java.util.AbstractQueue<RDD<T>> {
    private final Queue<JavaRDD<T>> queue;

    RddQueue(Queue<JavaRDD<T>> queue) {
      this.queue = Objects.requireNonNull(queue, "queue");
    }

    @Override
    public java.util.Iterator<RDD<T>> iterator() {
      List<RDD<T>> copy = new LinkedList<>();
      synchronized (queue) {
        for (JavaRDD<T> r : queue) {
          copy.add(r.rdd());
        }
      }
      return copy.iterator();
    }

    @Override
    public int size() {
      return queue.size();
    }

    @Override
    public boolean offer(RDD<T> rdd) {
      return queue.offer(new JavaRDD<>(rdd));
    }

    @Override
    public RDD<T> poll() {
      synchronized (queue) {
        JavaRDD<T> r = queue.poll();
        return r == null ? null : r.rdd();
      }
    }

    @Override
    public RDD<T> peek() {
      JavaRDD<T> r = queue.peek();
      return r == null ? null : r.rdd();
    }
  }
}
