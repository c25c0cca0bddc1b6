package dev.millrace.streaming.internal.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.streaming.Duration;
import dev.millrace.streaming.Time;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Metadata checkpoints written by racing threads: a write that carries an older view of the batches
 * than one already written must not make a recovery re-run batches whose progress the newer write
 * dropped, so checkpoint and last completed times never go back.
 */
class CheckpointingWriteTest {
  @TempDir
  Path dir;

  private Checkpointing checkpointing() {
    Checkpointing cp = new Checkpointing(dir, new Duration(1000), List.of(), List.of());
    cp.started(new Time(0));
    return cp;
  }

  @Test
  void writeWithAnOlderView_keepsTheNewerCheckpointAndCompletedTimes() {
    Checkpointing cp = checkpointing();
    cp.write(() -> new Checkpointing.BatchState(new Time(3000), new Time(3000), List.of()));
    cp.write(() -> new Checkpointing.BatchState(new Time(2000), new Time(1000), List.of(new Time(2000))));
    MetadataCheckpoint latest = Checkpointing.readLatest(dir);
    assertThat(latest.checkpointTimeMs()).isEqualTo(3000);
    assertThat(latest.lastCompletedMs()).isEqualTo(3000);
    assertThat(latest.pendingTimesMs()).containsExactly(2000L);
  }

  @Test
  void viewIsReadWhileHoldingTheWriter() {
    Checkpointing cp = checkpointing();
    cp.write(() -> {
      assertThat(Thread.holdsLock(cp)).isTrue();
      return new Checkpointing.BatchState(new Time(1000), null, List.of(new Time(1000)));
    });
    MetadataCheckpoint latest = Checkpointing.readLatest(dir);
    assertThat(latest.checkpointTimeMs()).isEqualTo(1000);
    assertThat(latest.lastCompletedMs()).isEqualTo(-1);
    assertThat(latest.pendingTimesMs()).containsExactly(1000L);
  }
}
