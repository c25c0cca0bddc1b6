package dev.millrace.streaming.internal.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.streaming.scheduler.StreamingListener;
import dev.millrace.streaming.scheduler.StreamingListenerStreamingStarted;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ListenerBusTest {
  @Test
  void waitUntilEmpty_returnsOnlyOnceEveryEventPostedBeforeItWasDelivered() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    List<Long> seen = new CopyOnWriteArrayList<>();
    ListenerBus bus = new ListenerBus(Thread::new);
    bus.addListener(new StreamingListener() {
      @Override
      public void onStreamingStarted(StreamingListenerStreamingStarted e) {
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
        }
        seen.add(e.time());
      }
    });
    bus.start();
    try {
      bus.post(new StreamingListenerStreamingStarted(1));
      bus.post(new StreamingListenerStreamingStarted(2));
      // The listener is held: the events cannot have been delivered.
      assertThat(bus.waitUntilEmpty(50)).isFalse();
      assertThat(seen).isEmpty();
      release.countDown();
      assertThat(bus.waitUntilEmpty(10_000)).isTrue();
      assertThat(seen).containsExactly(1L, 2L);
    } finally {
      bus.stop(10_000);
    }
  }

  @Test
  void waitUntilEmpty_isFalseWhileTheBusIsNotStarted_andTrueWithNothingPosted() throws Exception {
    ListenerBus bus = new ListenerBus(Thread::new);
    assertThat(bus.waitUntilEmpty(10)).isTrue();
    bus.post(new StreamingListenerStreamingStarted(1));
    assertThat(bus.waitUntilEmpty(20)).isFalse();
  }
}
