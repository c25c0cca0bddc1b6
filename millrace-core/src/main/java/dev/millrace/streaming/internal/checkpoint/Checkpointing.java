package dev.millrace.streaming.internal.checkpoint;

import dev.millrace.MillraceException;
import dev.millrace.streaming.Duration;
import dev.millrace.streaming.Time;
import dev.millrace.streaming.internal.dstream.DStream;
import dev.millrace.streaming.internal.dstream.InputDStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a context's metadata checkpoints and attaches a checkpoint's progress and state to a
 * rebuilt graph.
 *
 * <p>Operators are matched by stable id: stateful streams get theirs from {@link
 * StateCheckpointer#assignOperatorIds}; input streams get {@code name-<name>} when named, else
 * {@code input-<operation>-<n>}, n counting the inputs of that operation in creation order. So
 * the same program gives the same ids, adding operators after the existing ones keeps them, and
 * naming a stream keeps its id whatever else changes.
 *
 * <p>Thread-safe: {@link #write} is synchronized; it is called from the batch generator thread
 * (after a batch is generated) and from job threads (after a batch completed). Those calls race,
 * so the scheduler's view of the batches must be read under the same lock as the write ({@link
 * #write(Supplier)}): writing a view taken before a newer checkpoint was written would list a
 * batch as pending whose input progress that newer write already dropped, and a recovery from it
 * would re-run the batch without its inputs (for a receiver, with other records, replacing its
 * output). Checkpoint and last completed times never go backwards from one write to the next.
 */
public final class Checkpointing {
  private static final Logger LOG = LoggerFactory.getLogger(Checkpointing.class);

  private final Path checkpointDir;
  private final Duration batchDuration;
  private final List<InputDStream<?>> inputs;
  private final List<DStream<?>> stateful;
  private final MetadataCheckpointFiles files;
  private final Map<String, Long> stateTimes = new ConcurrentHashMap<>();
  private volatile Time zeroTime;
  /** The newest checkpoint time and last completed time written; guarded by this object. */
  private Time writtenCheckpointTime;
  private Time writtenLastCompleted;

  /**
   * The scheduler's view of the batches at the moment a checkpoint is written.
   *
   * @param checkpointTime the newest batch generated
   * @param lastCompleted the newest batch completed, or null
   * @param pending the batches to re-run on recovery: generated and not completed, or failed
   */
  public record BatchState(Time checkpointTime, Time lastCompleted, List<Time> pending) {}

  /**
   * @param inputs the graph's input streams, in creation order; they get their ids here
   * @param stateful the graph's stateful streams, with ids already assigned
   */
  public Checkpointing(Path checkpointDir, Duration batchDuration, List<InputDStream<?>> inputs,
      List<DStream<?>> stateful) {
    this.checkpointDir = checkpointDir;
    this.batchDuration = batchDuration;
    this.inputs = List.copyOf(inputs);
    this.stateful = List.copyOf(stateful);
    this.files = new MetadataCheckpointFiles(checkpointDir);
    assignInputIds(inputs);
  }

  /** Gives every input stream its stable id. */
  public static void assignInputIds(List<InputDStream<?>> inputs) {
    Map<String, Integer> perOperation = new HashMap<>();
    for (InputDStream<?> in : inputs) {
      if (in.name() != null) {
        in.setOperatorId("name-" + in.name().replaceAll("[^A-Za-z0-9._-]", "_"));
      } else {
        int n = perOperation.merge(in.operation(), 1, Integer::sum) - 1;
        in.setOperatorId("input-" + in.operation() + "-" + n);
      }
    }
  }

  /** The checkpoint directory. */
  public Path checkpointDir() {
    return checkpointDir;
  }

  /** Reads the newest readable metadata checkpoint of {@code checkpointDir}, or null if there is none. */
  public static MetadataCheckpoint readLatest(Path checkpointDir) {
    return new MetadataCheckpointFiles(checkpointDir).readLatest();
  }

  /** Records that the graph started (or restarted) with {@code zeroTime}. */
  public void started(Time zeroTime) {
    this.zeroTime = zeroTime;
  }

  /** Records that operator {@code operatorId}'s state of batch {@code time} was committed. */
  public void stateWritten(String operatorId, Time time) {
    stateTimes.merge(operatorId, time.milliseconds(), Math::max);
  }

  // ------------------------------------------------------------ recovery

  /**
   * Checks that the rebuilt graph can take over {@code cp}, without changing anything.
   *
   * @throws CheckpointIncompatibleException naming the operator and the change
   */
  public void validate(MetadataCheckpoint cp) {
    String fresh = " To start fresh, delete the checkpoint directory " + checkpointDir
        + " or give the context another one with checkpoint(dir).";
    if (cp.batchIntervalMs() != batchDuration.milliseconds()) {
      throw new CheckpointIncompatibleException("Cannot recover from the checkpoint in " + checkpointDir
          + ": its batch interval is " + cp.batchIntervalMs() + " ms, the program's is "
          + batchDuration.milliseconds() + " ms; the batch interval cannot change across a restart." + fresh);
    }
    Map<String, DStream<?>> byId = new HashMap<>();
    for (DStream<?> s : stateful) {
      byId.put(s.operatorId(), s);
    }
    for (MetadataCheckpoint.OperatorState op : cp.operators()) {
      DStream<?> s = byId.get(op.operatorId());
      if (s == null) {
        List<String> now = new ArrayList<>();
        for (DStream<?> d : stateful) {
          now.add(d.operatorId());
        }
        throw new CheckpointIncompatibleException("Cannot recover from the checkpoint in " + checkpointDir
            + ": stateful operator '" + op.operatorId() + "' (" + op.kind() + ") holds state there, but the "
            + "program has no such operator any more: it was removed, renamed, or changed to another kind "
            + "(the program's stateful operators are " + now + "). Keep the operator (name it with "
            + "name(String) to keep its id stable) to carry its state over." + fresh);
      }
      if (!s.stateKind().equals(op.kind())) {
        throw new CheckpointIncompatibleException("Cannot recover from the checkpoint in " + checkpointDir
            + ": stateful operator '" + op.operatorId() + "' was " + op.kind() + " and is now " + s.stateKind()
            + " (" + s.creationSite() + "); its state cannot be carried over." + fresh);
      }
    }
    Map<String, InputDStream<?>> inputsById = new HashMap<>();
    for (InputDStream<?> in : inputs) {
      inputsById.put(in.operatorId(), in);
    }
    for (MetadataCheckpoint.InputProgress p : cp.inputs()) {
      InputDStream<?> in = inputsById.get(p.operatorId());
      if (in == null) {
        continue;
      }
      if (!(in instanceof SourceProgress) || !((SourceProgress) in).progressKind().equals(p.kind())) {
        throw new CheckpointIncompatibleException("Cannot recover from the checkpoint in " + checkpointDir
            + ": input stream '" + p.operatorId() + "' was " + p.operation() + " with " + p.kind()
            + " progress and is now " + in.operation() + " (" + in.creationSite() + "); name the input streams "
            + "with name(String) so that ids stay stable, or start fresh." + fresh);
      }
    }
  }

  /**
   * Attaches the progress and state of {@code cp} to the rebuilt graph, which must have been
   * initialized with {@code cp}'s zero time. Stateful operators without state in the checkpoint
   * start empty after the checkpoint's time.
   *
   * @throws CheckpointIncompatibleException as {@link #validate}
   * @throws MillraceException naming the operator if its state cannot be read
   */
  public void restore(MetadataCheckpoint cp) {
    validate(cp);
    Time cpTime = new Time(cp.checkpointTimeMs());
    Map<String, MetadataCheckpoint.OperatorState> ops = new HashMap<>();
    for (MetadataCheckpoint.OperatorState op : cp.operators()) {
      ops.put(op.operatorId(), op);
    }
    for (DStream<?> s : stateful) {
      MetadataCheckpoint.OperatorState op = ops.get(s.operatorId());
      StateCheckpoint state = op == null || op.stateTimeMs() < 0 ? null : readState(s, op, cp);
      if (state == null) {
        if (op == null) {
          LOG.info("Stateful operator {} ({}) is new since the checkpoint; it starts without state",
              s.operatorId(), s.stateKind());
        }
        // Without saved state the operator starts empty after the checkpoint; with none written yet,
        // it recomputes from the inputs' restored progress.
        if (op == null) {
          s.restoreState(cpTime, null);
        }
      } else {
        s.restoreState(new Time(state.batchTime()), state);
        stateWritten(s.operatorId(), new Time(state.batchTime()));
        LOG.info("Restored the state of {} ({}) of batch {} ms: {} entries", s.operatorId(), s.stateKind(),
            state.batchTime(), state.size());
      }
    }
    Map<String, InputDStream<?>> inputsById = new HashMap<>();
    for (InputDStream<?> in : inputs) {
      inputsById.put(in.operatorId(), in);
    }
    for (MetadataCheckpoint.InputProgress p : cp.inputs()) {
      InputDStream<?> in = inputsById.get(p.operatorId());
      if (in == null) {
        LOG.warn("Input stream {} ({}) of the checkpoint is not in the program any more; its progress is dropped",
            p.operatorId(), p.operation());
        continue;
      }
      SortedMap<Time, byte[]> batches = new TreeMap<>();
      p.batches().forEach((t, b) -> batches.put(new Time(t), b));
      ((SourceProgress) in).restoreProgress(p.version(), p.streamProgress(), batches, cpTime);
    }
  }

  private StateCheckpoint readState(DStream<?> s, MetadataCheckpoint.OperatorState op, MetadataCheckpoint cp) {
    try {
      return StateCheckpointFiles.read(checkpointDir, op.operatorId(), op.stateTimeMs());
    } catch (StateCheckpointFiles.UnsupportedCheckpointVersionException e) {
      throw e;
    } catch (MillraceException e) {
      LOG.warn("The state of {} of batch {} ms cannot be read ({}); trying an older one", op.operatorId(),
          op.stateTimeMs(), e.getMessage());
    }
    StateCheckpoint latest = StateCheckpointFiles.readLatest(checkpointDir, op.operatorId());
    if (latest != null && latest.batchTime() > cp.checkpointTimeMs()) {
      throw new MillraceException("The state of operator " + op.operatorId() + " referenced by the checkpoint in "
          + checkpointDir + " (batch " + op.stateTimeMs() + " ms) is unreadable and no older one exists");
    }
    return latest;
  }

  // ------------------------------------------------------------ writing

  /**
   * Writes a metadata checkpoint of the view {@code now} returns, read while holding this writer's
   * lock, so that of two racing writes the later one also holds the newer view.
   *
   * @throws MillraceException naming the file if writing fails
   */
  public synchronized void write(Supplier<BatchState> now) {
    BatchState s = now.get();
    write(s.checkpointTime(), s.lastCompleted(), s.pending());
  }

  /**
   * Writes a metadata checkpoint.
   *
   * @param checkpointTime the newest batch generated
   * @param lastCompleted the newest batch completed, or null
   * @param pending the batches generated and not completed
   * @throws MillraceException naming the file if writing fails
   */
  public synchronized void write(Time checkpointTime, Time lastCompleted, List<Time> pending) {
    Time zero = zeroTime;
    if (zero == null || checkpointTime == null) {
      return;
    }
    // Never behind a checkpoint already written: a recovery re-runs every batch after the
    // checkpoint time, and the progress of completed batches before the last one written is gone.
    if (writtenCheckpointTime != null && writtenCheckpointTime.greater(checkpointTime)) {
      checkpointTime = writtenCheckpointTime;
    }
    if (writtenLastCompleted != null && (lastCompleted == null || writtenLastCompleted.greater(lastCompleted))) {
      lastCompleted = writtenLastCompleted;
    }
    Time oldestNeeded = checkpointTime.plus(batchDuration);
    for (Time t : pending) {
      if (t.less(oldestNeeded)) {
        oldestNeeded = t;
      }
    }
    List<MetadataCheckpoint.OperatorState> ops = new ArrayList<>();
    for (DStream<?> s : stateful) {
      Long stateTime = stateTimes.get(s.operatorId());
      ops.add(new MetadataCheckpoint.OperatorState(s.operatorId(), s.stateKind(), stateTime == null ? -1 : stateTime));
      Time after = stateTime == null ? zero.plus(batchDuration) : new Time(stateTime).plus(batchDuration);
      if (after.less(oldestNeeded)) {
        oldestNeeded = after;
      }
    }
    List<MetadataCheckpoint.InputProgress> progress = new ArrayList<>();
    for (InputDStream<?> in : inputs) {
      if (!(in instanceof SourceProgress)) {
        continue;
      }
      SourceProgress sp = (SourceProgress) in;
      SortedMap<Long, byte[]> batches = new TreeMap<>();
      SortedMap<Long, String> descriptions = new TreeMap<>();
      for (Time t : sp.progressTimes(oldestNeeded)) {
        batches.put(t.milliseconds(), sp.encodeProgress(t));
        descriptions.put(t.milliseconds(), sp.describeProgress(t));
      }
      progress.add(new MetadataCheckpoint.InputProgress(in.operatorId(), in.operation(), sp.progressKind(),
          sp.progressVersion(), sp.encodeStreamProgress(), batches, descriptions));
    }
    List<Long> pendingMs = new ArrayList<>();
    for (Time t : pending) {
      pendingMs.add(t.milliseconds());
    }
    pendingMs.sort(null);
    files.write(new MetadataCheckpoint(batchDuration.milliseconds(), zero.milliseconds(),
        checkpointTime.milliseconds(), lastCompleted == null ? -1 : lastCompleted.milliseconds(), pendingMs, progress,
        ops));
    writtenCheckpointTime = checkpointTime;
    writtenLastCompleted = lastCompleted;
    for (InputDStream<?> in : inputs) {
      if (in instanceof SourceProgress) {
        ((SourceProgress) in).checkpointWritten(oldestNeeded);
      }
    }
  }
}
