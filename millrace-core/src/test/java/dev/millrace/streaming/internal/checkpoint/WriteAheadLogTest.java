package dev.millrace.streaming.internal.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.millrace.MillraceException;
import dev.millrace.util.ManualClock;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteAheadLogTest {
  @TempDir
  Path dir;

  private final ManualClock clock = new ManualClock();

  @Test
  void appendedRecords_areReadBackBySequenceNumber_afterReopening() {
    try (WriteAheadLog log = new WriteAheadLog(dir, clock, 60_000)) {
      assertThat(log.append(List.of("a", "b"))).isEqualTo(0);
      assertThat(log.append(List.of("c"))).isEqualTo(2);
      assertThat(log.append(List.of(4, 5L))).isEqualTo(3);
    }
    try (WriteAheadLog log = new WriteAheadLog(dir, clock, 60_000)) {
      assertThat(log.nextSeq()).isEqualTo(5);
      assertThat(log.read(1, 4)).containsExactly("b", "c", 4);
      assertThat(log.append(List.of("f"))).isEqualTo(5);
      assertThat(log.read(0, 6)).containsExactly("a", "b", "c", 4, 5L, "f");
    }
  }

  @Test
  void tornLastEntry_isIgnoredAndCutOff_soAppendsContinueAfterTheLastIntactRecord() throws Exception {
    try (WriteAheadLog log = new WriteAheadLog(dir, clock, 60_000)) {
      log.append(List.of("a"));
      log.append(List.of("b"));
    }
    Path segment = Files.list(dir).findFirst().orElseThrow();
    long size = Files.size(segment);
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      ch.truncate(size - 3); // the second entry lost its last bytes, as in a crash mid-write
    }
    try (WriteAheadLog log = new WriteAheadLog(dir, clock, 60_000)) {
      assertThat(log.nextSeq()).isEqualTo(1);
      assertThat(log.append(List.of("c"))).isEqualTo(1);
    }
    try (WriteAheadLog log = new WriteAheadLog(dir, clock, 60_000)) {
      assertThat(log.read(0, 2)).containsExactly("a", "c");
    }
  }

  @Test
  void corruptEntry_failsItsChecksum_andIsNotReturned() throws Exception {
    try (WriteAheadLog log = new WriteAheadLog(dir, clock, 60_000)) {
      log.append(List.of("abcdef"));
    }
    Path segment = Files.list(dir).findFirst().orElseThrow();
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {'X'}), Files.size(segment) - 2);
    }
    try (WriteAheadLog log = new WriteAheadLog(dir, clock, 60_000)) {
      assertThat(log.nextSeq()).isEqualTo(0);
      MillraceException e = assertThrows(MillraceException.class, () -> log.read(0, 1));
      assertThat(e.getMessage()).contains("holds 0 of the records 0 to 0");
    }
  }

  @Test
  void segmentsRollOnTheClock_andOldOnesAreDeletedOnceNoRecordInThemIsNeeded() throws Exception {
    try (WriteAheadLog log = new WriteAheadLog(dir, clock, 1_000)) {
      log.append(List.of("a", "b"));
      clock.advance(1_000);
      log.append(List.of("c"));
      clock.advance(1_000);
      log.append(List.of("d"));
      assertThat(log.segments()).hasSize(3);
      log.deleteBefore(2); // records 0 and 1 (the first segment) are no longer needed
      assertThat(log.segments()).hasSize(2);
      assertThat(log.read(2, 4)).containsExactly("c", "d");
      log.deleteBefore(100); // never the segment being appended to
      assertThat(log.segments()).hasSize(1);
      assertThat(log.read(3, 4)).containsExactly("d");
    }
  }

  @Test
  void firstSeq_isTheOldestRecordStillInTheLog_orNextSeqWhenEmpty() {
    try (WriteAheadLog log = new WriteAheadLog(dir, clock, 1_000)) {
      assertThat(log.firstSeq()).isEqualTo(0);
      log.append(List.of("a", "b"));
      clock.advance(1_000);
      log.append(List.of("c"));
      assertThat(log.firstSeq()).isEqualTo(0);
      log.deleteBefore(2);
      assertThat(log.firstSeq()).isEqualTo(2);
      assertThat(log.read(log.firstSeq(), log.nextSeq())).containsExactly("c");
    }
  }
}
