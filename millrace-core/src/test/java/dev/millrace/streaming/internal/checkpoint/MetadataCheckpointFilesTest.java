package dev.millrace.streaming.internal.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataCheckpointFilesTest {
  @TempDir
  Path dir;

  private static MetadataCheckpoint checkpoint(long time) {
    TreeMap<Long, byte[]> batches = new TreeMap<>(Map.of(time, new byte[] {1, 2, 3}));
    TreeMap<Long, String> descriptions = new TreeMap<>(Map.of(time, "1 file(s): x.txt"));
    return new MetadataCheckpoint(100, 0, time, time - 100, List.of(time),
        List.of(new MetadataCheckpoint.InputProgress("input-textFileStream-0", "textFileStream", "files", 1,
            new byte[] {9}, batches, descriptions)),
        List.of(new MetadataCheckpoint.OperatorState("updateStateByKey-0", "updateStateByKey", time - 200)));
  }

  @Test
  void checkpoint_roundTripsEveryField() {
    MetadataCheckpointFiles files = new MetadataCheckpointFiles(dir);
    files.write(checkpoint(500));
    MetadataCheckpoint read = files.readLatest();
    assertThat(read.batchIntervalMs()).isEqualTo(100);
    assertThat(read.checkpointTimeMs()).isEqualTo(500);
    assertThat(read.lastCompletedMs()).isEqualTo(400);
    assertThat(read.pendingTimesMs()).containsExactly(500L);
    MetadataCheckpoint.InputProgress in = read.inputs().get(0);
    assertThat(in.operatorId()).isEqualTo("input-textFileStream-0");
    assertThat(in.streamProgress()).containsExactly(9);
    assertThat(in.batches().get(500L)).containsExactly(1, 2, 3);
    assertThat(in.descriptions().get(500L)).isEqualTo("1 file(s): x.txt");
    assertThat(read.operators()).containsExactly(
        new MetadataCheckpoint.OperatorState("updateStateByKey-0", "updateStateByKey", 300));
  }

  @Test
  void onlyTheNewestThreeAreKept() throws Exception {
    MetadataCheckpointFiles files = new MetadataCheckpointFiles(dir);
    for (long t = 100; t <= 600; t += 100) {
      files.write(checkpoint(t));
    }
    assertThat(files.list()).hasSize(MetadataCheckpointFiles.RETAINED);
    assertThat(files.readLatest().checkpointTimeMs()).isEqualTo(600);
  }

  @Test
  void tornNewestCheckpoint_isSkipped_andThePreviousOneUsed() throws Exception {
    MetadataCheckpointFiles files = new MetadataCheckpointFiles(dir);
    files.write(checkpoint(100));
    Path newest = files.write(checkpoint(200));
    try (FileChannel ch = FileChannel.open(newest, StandardOpenOption.WRITE)) {
      ch.truncate(Files.size(newest) - 5);
    }
    assertThat(files.readLatest().checkpointTimeMs()).isEqualTo(100);
  }

  @Test
  void corruptNewestCheckpoint_failsItsChecksum_andThePreviousOneIsUsed() throws Exception {
    MetadataCheckpointFiles files = new MetadataCheckpointFiles(dir);
    files.write(checkpoint(100));
    Path newest = files.write(checkpoint(200));
    try (FileChannel ch = FileChannel.open(newest, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {0x7f}), 20);
    }
    assertThat(files.readLatest().checkpointTimeMs()).isEqualTo(100);
  }

  @Test
  void unknownFormatVersion_isNeverSkipped() throws Exception {
    MetadataCheckpointFiles files = new MetadataCheckpointFiles(dir);
    files.write(checkpoint(100));
    Path newest = files.write(checkpoint(200));
    byte[] bytes = MetadataCheckpointFiles.encode(checkpoint(200));
    ByteBuffer.wrap(bytes).putInt(4, 99);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(bytes, 0, bytes.length - 8);
    ByteBuffer.wrap(bytes).putLong(bytes.length - 8, crc.getValue());
    Files.write(newest, bytes);
    StateCheckpointFiles.UnsupportedCheckpointVersionException e = assertThrows(
        StateCheckpointFiles.UnsupportedCheckpointVersionException.class, files::readLatest);
    assertThat(e.getMessage()).contains("format version 99", "this build reads version 1");
  }

  @Test
  void noReadableCheckpoint_failsNamingTheNewestProblem() throws Exception {
    MetadataCheckpointFiles files = new MetadataCheckpointFiles(dir);
    Path only = files.write(checkpoint(100));
    Files.write(only, new byte[] {1, 2, 3});
    assertThat(assertThrows(dev.millrace.MillraceException.class, files::readLatest).getMessage())
        .contains("No readable metadata checkpoint", "truncated");
  }
}
