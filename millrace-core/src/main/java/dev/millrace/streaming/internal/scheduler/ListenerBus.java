package dev.millrace.streaming.internal.scheduler;

import dev.millrace.streaming.scheduler.StreamingListener;
import dev.millrace.streaming.scheduler.StreamingListenerBatchCompleted;
import dev.millrace.streaming.scheduler.StreamingListenerBatchStarted;
import dev.millrace.streaming.scheduler.StreamingListenerBatchSubmitted;
import dev.millrace.streaming.scheduler.StreamingListenerEvent;
import dev.millrace.streaming.scheduler.StreamingListenerOutputOperationCompleted;
import dev.millrace.streaming.scheduler.StreamingListenerOutputOperationStarted;
import dev.millrace.streaming.scheduler.StreamingListenerReceiverError;
import dev.millrace.streaming.scheduler.StreamingListenerReceiverStarted;
import dev.millrace.streaming.scheduler.StreamingListenerReceiverStopped;
import dev.millrace.streaming.scheduler.StreamingListenerStreamingStarted;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events to listeners in order, on one thread of its own, so a slow listener never
 * delays a batch. A listener that throws is logged and keeps its place.
 */
public final class ListenerBus {
  private static final Logger LOG = LoggerFactory.getLogger(ListenerBus.class);
  private static final Object STOP = new Object();

  private final List<StreamingListener> listeners = new CopyOnWriteArrayList<>();
  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private final AtomicLong posted = new AtomicLong();
  private final Object deliveredLock = new Object();
  private long delivered; // guarded by deliveredLock
  private volatile boolean started;

  public ListenerBus(ThreadFactory threads) {
    this.thread = threads.newThread(this::run);
  }

  public void addListener(StreamingListener listener) {
    listeners.add(listener);
  }

  public void removeListener(StreamingListener listener) {
    listeners.remove(listener);
  }

  public synchronized void start() {
    if (!started) {
      started = true;
      thread.start();
    }
  }

  /** Queues an event; events posted before {@link #start()} are delivered once it starts. */
  public void post(StreamingListenerEvent event) {
    posted.incrementAndGet();
    queue.add(event);
  }

  /**
   * Waits until every event posted before this call has been delivered to every listener, as
   * Spark's {@code LiveListenerBus.waitUntilEmpty}; for tests and tools that read what listeners
   * saw right after a batch.
   *
   * @return false if that did not happen within {@code timeoutMs} (or the bus is not started)
   */
  public boolean waitUntilEmpty(long timeoutMs) throws InterruptedException {
    long target = posted.get();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    synchronized (deliveredLock) {
      while (delivered < target) {
        long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (remainingMs <= 0) {
          return false;
        }
        deliveredLock.wait(remainingMs);
      }
    }
    return true;
  }

  /** Delivers the events already queued, then stops the thread; waits at most {@code timeoutMs}. */
  public void stop(long timeoutMs) {
    queue.add(STOP);
    if (started) {
      try {
        thread.join(timeoutMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void run() {
    while (true) {
      Object event;
      try {
        event = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      if (event == STOP) {
        return;
      }
      for (StreamingListener l : listeners) {
        try {
          deliver(l, (StreamingListenerEvent) event);
        } catch (RuntimeException e) {
          LOG.error("Listener {} threw an exception on {}", l.getClass().getName(), event, e);
        }
      }
      synchronized (deliveredLock) {
        delivered++;
        deliveredLock.notifyAll();
      }
    }
  }

  private static void deliver(StreamingListener l, StreamingListenerEvent event) {
    if (event instanceof StreamingListenerBatchSubmitted e) {
      l.onBatchSubmitted(e);
    } else if (event instanceof StreamingListenerBatchStarted e) {
      l.onBatchStarted(e);
    } else if (event instanceof StreamingListenerBatchCompleted e) {
      l.onBatchCompleted(e);
    } else if (event instanceof StreamingListenerOutputOperationStarted e) {
      l.onOutputOperationStarted(e);
    } else if (event instanceof StreamingListenerOutputOperationCompleted e) {
      l.onOutputOperationCompleted(e);
    } else if (event instanceof StreamingListenerReceiverStarted e) {
      l.onReceiverStarted(e);
    } else if (event instanceof StreamingListenerReceiverError e) {
      l.onReceiverError(e);
    } else if (event instanceof StreamingListenerReceiverStopped e) {
      l.onReceiverStopped(e);
    } else if (event instanceof StreamingListenerStreamingStarted e) {
      l.onStreamingStarted(e);
    }
  }
}
