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
}
