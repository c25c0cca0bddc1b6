package dev.millrace.streaming.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Directory input and file output stay exactly-once across many SIGKILLs at seeded random moments:
 * while a batch runs, while a metadata checkpoint is being written, while a batch's output is being
 * written. Each cycle starts the job in a child JVM with {@code getOrCreate}, moves new files into
 * the input directory, and kills the job; at the end the counts of all batch outputs must equal the
 * words moved in. A failure prints the seed; rerun with {@code -Dmillrace.faultSeed=<seed>}.
 */
class DirectoryRecoveryIT {
  private static final int CYCLES = 22;
  private static final String[] WORDS = new String[40];

  static {
    for (int i = 0; i < WORDS.length; i++) {
      WORDS[i] = "w" + i;
    }
  }

  @TempDir
  Path tmp;

  @Test
  void directoryInputAndFileOutput_countEveryWordExactlyOnce_acrossKillsAtRandomMoments() {
    FaultInjection.withSeed(this::run);
  }

  private void run(long seed) throws Exception {
    Random random = new Random(seed);
    Path in = Files.createDirectories(tmp.resolve("in"));
    Path staging = Files.createDirectories(tmp.resolve("staging"));
    Path ck = tmp.resolve("ck");
    Path out = Files.createDirectories(tmp.resolve("out"));
    Map<String, Long> expected = new TreeMap<>();
    int files = 0;
    List<String> faults = new ArrayList<>();
    Process job = null;
    for (int cycle = 0; cycle <= CYCLES; cycle++) {
      boolean last = cycle == CYCLES;
      int fault = last ? -1 : random.nextInt(4);
      List<String> props = new ArrayList<>();
      if (fault == 1) {
        props.add("-Dmillrace.test.crashAt=checkpoint.beforeRename:" + (1 + random.nextInt(12)));
      } else if (fault == 2) {
        props.add("-Dmillrace.test.crashAt=output.beforeRename:" + (1 + random.nextInt(6)));
      }
      faults.add(fault == 0 || fault == 3 ? "kill" : props.isEmpty() ? "none" : props.get(0));
      Path log = tmp.resolve("log-" + cycle);
      job = FaultInjection.start(props, log, "files", in.toString(), ck.toString(),
          out.resolve("counts").toString(), "100");
      FaultInjection.awaitLine(log, "STARTED", 30_000);
      int newFiles = last ? 1 : 1 + random.nextInt(3);
      for (int f = 0; f < newFiles; f++) {
        files++;
        StringBuilder text = new StringBuilder();
        for (int line = 0; line < 10; line++) {
          for (int w = 0; w < 5; w++) {
            String word = WORDS[random.nextInt(WORDS.length)];
            expected.merge(word, 1L, Long::sum);
            text.append(w == 0 ? "" : " ").append(word);
          }
          text.append('\n');
        }
        Path staged = staging.resolve("input-" + files + ".txt");
        Files.writeString(staged, text, StandardCharsets.UTF_8);
        Files.setLastModifiedTime(staged, FileTime.fromMillis(System.currentTimeMillis()));
        Files.move(staged, in.resolve(staged.getFileName()), StandardCopyOption.ATOMIC_MOVE);
        Thread.sleep(random.nextInt(150));
      }
      if (last) {
        break;
      }
      if (fault == 0 || fault == 3) {
        Thread.sleep(random.nextInt(500));
        FaultInjection.kill(job);
      } else if (!job.waitFor(3, TimeUnit.SECONDS)) {
        // the crash point was not reached in time: kill at this random moment instead
        FaultInjection.kill(job);
      }
    }
    // The last run processes everything and is then killed too.
    Path lastLog = tmp.resolve("log-" + CYCLES);
    long total = FaultInjection.total(expected);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
    Map<String, Long> counted = FaultInjection.readCounts(out, "counts");
    while (FaultInjection.total(counted) < total && System.nanoTime() < deadline) {
      Thread.sleep(100);
      counted = FaultInjection.readCounts(out, "counts");
    }
    Thread.sleep(500);
    counted = FaultInjection.readCounts(out, "counts");
    FaultInjection.kill(job);
    assertThat(counted).as("counts over %d files after faults %s; last log:%n%s", files, faults,
        FaultInjection.tail(lastLog)).isEqualTo(expected);
  }
}
