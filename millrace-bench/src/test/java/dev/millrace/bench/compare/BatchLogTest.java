package dev.millrace.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class BatchLogTest {

  @Test
  void completedBatchWithOutput_isReportedWithItsDelays_emptyOnesAreSkipped() throws Exception {
    BatchLog log = new BatchLog();
    log.output(1000, 0);
    log.completed(1000, 1, 2);
    log.output(2000, 42);
    log.completed(2000, 3, 250);
    assertThat(log.next(1000)).isEqualTo(new BatchLog.Batch(2000, 42, 3, 250));
    assertThrows(TimeoutException.class, () -> log.next(1));
  }

  @Test
  void completionWithoutOutput_isSkipped() {
    BatchLog log = new BatchLog();
    log.completed(1000, 1, 2);
    assertThrows(TimeoutException.class, () -> log.next(1));
  }

  @Test
  void everyBatchLog_keepsEmptyBatchesToo_withTheirInputCounts() throws Exception {
    BatchLog log = BatchLog.everyBatch();
    log.completed(1000, 0, 1, 2);
    log.output(2000, 7);
    log.completed(2000, 70, 3, 40);
    assertThat(log.nextAny(1000)).isEqualTo(new BatchLog.AnyBatch(1000, 0, -1, 1, 2));
    assertThat(log.nextAny(1000)).isEqualTo(new BatchLog.AnyBatch(2000, 70, 7, 3, 40));
    assertThat(log.next(1000)).isEqualTo(new BatchLog.Batch(2000, 7, 3, 40));
    assertThrows(TimeoutException.class, () -> log.nextAny(1));
  }

  @Test
  void plainLog_refusesNextAny() {
    assertThrows(IllegalStateException.class, () -> new BatchLog().nextAny(1));
  }
}
