package dev.millrace.streaming.internal.checkpoint;

import dev.millrace.internal.rdd.RDD;
import dev.millrace.streaming.Time;
import dev.millrace.streaming.internal.dstream.DStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the state of the stateful operators of a graph ({@code updateStateByKey}, {@code
 * mapWithState}, inverse-reduce windows) after each batch at which it is due.
 *
 * <p>Each stateful stream gets a stable operator id when the context starts: {@code name-<name>}
 * for a stream named with {@code setName}, else {@code <kind>-<n>} where n counts the streams of
 * that kind in the graph's order (outputs in definition order, parents first). The same program
 * gives the same ids, so a rebuilt graph finds its state; naming a stream keeps its id stable
 * across changes to the rest of the program.
 *
 * <p>Called on the job thread that completes a batch, before old datasets are forgotten; writing
 * runs as one job per operator (one task per partition) and cuts the state's lineage.
 */
public final class StateCheckpointer {
  private static final Logger LOG = LoggerFactory.getLogger(StateCheckpointer.class);

  private final Path checkpointDir;
  private final List<DStream<?>> stateful = new ArrayList<>();

  /**
   * Assigns operator ids to the stateful streams of {@code streams} (in graph order).
   *
   * @throws IllegalArgumentException if two stateful streams were given the same name
   */
  public StateCheckpointer(Path checkpointDir, List<DStream<?>> streams) {
    this.checkpointDir = checkpointDir;
    assignOperatorIds(streams);
    for (DStream<?> s : streams) {
      if (s.stateKind() != null) {
        stateful.add(s);
      }
    }
  }

  /**
   * Gives every stateful stream of {@code streams} its operator id.
   *
   * @throws IllegalArgumentException if two stateful streams were given the same name
   */
  public static void assignOperatorIds(List<DStream<?>> streams) {
    Map<String, Integer> perKind = new HashMap<>();
    Map<String, DStream<?>> byId = new HashMap<>();
    for (DStream<?> s : streams) {
      String kind = s.stateKind();
      if (kind == null) {
        continue;
      }
      String id;
      if (s.name() != null) {
        id = "name-" + s.name().replaceAll("[^A-Za-z0-9._-]", "_");
      } else {
        int n = perKind.merge(kind, 1, Integer::sum) - 1;
        id = kind + "-" + n;
      }
      DStream<?> other = byId.putIfAbsent(id, s);
      if (other != null) {
        throw new IllegalArgumentException("Two stateful streams would share the state checkpoint id '" + id
            + "': " + other + " and " + s + "; give them different names with setName");
      }
      s.setOperatorId(id);
    }
  }

  /** The stateful streams, in graph order. */
  public List<DStream<?>> statefulStreams() {
    return List.copyOf(stateful);
  }

  /**
   * Writes the state of every stateful stream whose checkpoint is due at {@code time}.
   *
   * @return the operator ids whose state was written
   *
   * @throws dev.millrace.MillraceException naming the operator and batch if writing fails
   */
  public List<String> afterBatch(Time time) {
    List<String> written = new ArrayList<>();
    for (DStream<?> s : stateful) {
      if (!s.isTimeValid(time) || !s.isCheckpointTime(time)) {
        continue;
      }
      RDD<StateEntry> entries = s.stateForCheckpoint(time);
      if (entries == null) {
        continue;
      }
      write(s.operatorId(), s.stateKind(), time, entries);
      written.add(s.operatorId());
    }
    return written;
  }

  private void write(String operatorId, String kind, Time time, RDD<StateEntry> entries) {
    long t = time.milliseconds();
    int n = entries.numPartitions();
    String dir = checkpointDir.toString();
    entries.context().runtime().runJob(entries, (p, in) -> {
      StateCheckpointFiles.writePartition(Path.of(dir), operatorId, kind, t, p, n, in);
      return null;
    }, entries.allPartitions());
    StateCheckpointFiles.commit(checkpointDir, operatorId, kind, t, n);
    LOG.debug("Wrote state checkpoint of {} at {}", operatorId, time);
  }
}
