package dev.millrace.cli;

import dev.millrace.streaming.internal.checkpoint.MetadataCheckpoint;
import dev.millrace.streaming.internal.checkpoint.MetadataCheckpointFiles;
import dev.millrace.streaming.internal.checkpoint.StateCheckpoint;
import dev.millrace.streaming.internal.checkpoint.StateCheckpointFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code millrace checkpoint inspect DIR}: prints what a checkpoint directory holds, read as data
 * (no program needed): batch times, each input stream's progress per batch, each stateful
 * operator's newest state and its size, the write-ahead logs.
 */
final class CheckpointCommand {
  private CheckpointCommand() {}

  static final String HELP = """
      Usage: millrace checkpoint inspect DIR

      Prints what the checkpoint in DIR holds: the batch interval, the last generated and completed
      batch times, the pending batches (re-run first on recovery), each input stream's progress per
      batch (files of a directory stream, write-ahead-log records of a receiver, offset ranges of a
      Kafka direct stream: records, then topic-partition [from, until) for each partition that has
      records; batches without input are counted on one line), each stateful
      operator's newest state checkpoint (batch, entries, bytes), and the receivers' write-ahead logs.
      A torn or corrupt newest checkpoint file is reported and the previous one shown, as recovery
      would use it.
      """;

  static int main(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
      out.print(HELP);
      return 0;
    }
    if (args.length != 2 || !args[0].equals("inspect")) {
      err.println("millrace checkpoint: expected 'inspect DIR'");
      err.print(HELP);
      return 2;
    }
    Path dir = Paths.get(args[1]);
    if (!Files.isDirectory(dir)) {
      err.println("millrace checkpoint: " + dir + " is not a directory");
      return 2;
    }
    try {
      return inspect(dir, out, err);
    } catch (RuntimeException | IOException e) {
      err.println("millrace checkpoint: " + e.getMessage());
      return 1;
    }
  }

  private static int inspect(Path dir, PrintStream out, PrintStream err) throws IOException {
    MetadataCheckpointFiles files = new MetadataCheckpointFiles(dir);
    List<Path> all = files.list();
    MetadataCheckpoint cp = files.readLatest();
    if (cp == null) {
      err.println("millrace checkpoint: no checkpoint in " + dir);
      return 1;
    }
    out.println("Checkpoint in " + dir + " (" + all.size() + " metadata file(s), newest "
        + (all.isEmpty() ? "-" : all.get(all.size() - 1).getFileName()) + ")");
    out.println("  batch interval:        " + cp.batchIntervalMs() + " ms");
    out.println("  zero time:             " + cp.zeroTimeMs() + " ms");
    out.println("  last generated batch:  " + cp.checkpointTimeMs() + " ms");
    out.println("  last completed batch:  " + (cp.lastCompletedMs() < 0 ? "none" : cp.lastCompletedMs() + " ms"));
    out.println("  pending batches:       " + (cp.pendingTimesMs().isEmpty() ? "none" : cp.pendingTimesMs() + " ms"));
    out.println();
    out.println("Input streams:");
    if (cp.inputs().isEmpty()) {
      out.println("  (none with saved progress)");
    }
    for (MetadataCheckpoint.InputProgress in : cp.inputs()) {
      out.println("  " + in.operatorId() + " (" + in.operation() + ", " + in.kind() + " progress v" + in.version()
          + ", " + in.batches().size() + " batch(es))");
      int empty = 0;
      for (Map.Entry<Long, String> b : in.descriptions().entrySet()) {
        if (b.getValue().startsWith("0 ")) {
          empty++;
        } else {
          out.println("    batch " + b.getKey() + " ms: " + b.getValue());
        }
      }
      if (empty > 0) {
        out.println("    and " + empty + " batch(es) with no input");
      }
    }
    out.println();
    out.println("Stateful operators:");
    if (cp.operators().isEmpty()) {
      out.println("  (none)");
    }
    for (MetadataCheckpoint.OperatorState op : cp.operators()) {
      StringBuilder line = new StringBuilder("  " + op.operatorId() + " (" + op.kind() + "): ");
      if (op.stateTimeMs() < 0) {
        line.append("no state checkpoint yet");
      } else {
        Path stateDir = StateCheckpointFiles.operatorDir(dir, op.operatorId()).resolve(Long.toString(op.stateTimeMs()));
        line.append("state of batch ").append(op.stateTimeMs()).append(" ms, ");
        try {
          StateCheckpoint state = StateCheckpointFiles.read(dir, op.operatorId(), op.stateTimeMs());
          line.append(state.size()).append(" entries in ").append(state.partitions().size()).append(" partition(s), ");
        } catch (RuntimeException e) {
          line.append("entries unreadable here (").append(e.getMessage()).append("), ");
        } catch (LinkageError e) {
          line.append("entries unreadable here (a key or state class is not on this class path), ");
        }
        line.append(bytes(stateDir)).append(" bytes");
      }
      out.println(line);
    }
    Path received = dir.resolve("receivedData");
    if (Files.isDirectory(received)) {
      out.println();
      out.println("Write-ahead logs:");
      try (Stream<Path> logs = Files.list(received)) {
        for (Path log : (Iterable<Path>) logs.sorted()::iterator) {
          long segments;
          try (Stream<Path> s = Files.list(log)) {
            segments = s.count();
          }
          out.println("  " + log.getFileName() + ": " + segments + " segment(s), " + bytes(log) + " bytes");
        }
      }
    }
    return 0;
  }

  private static long bytes(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return 0;
    }
    long n = 0;
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (Files.isRegularFile(p)) {
          n += Files.size(p);
        }
      }
    }
    return n;
  }
}
