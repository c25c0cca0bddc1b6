package dev.millrace.streaming.internal;

/**
 * An optional component that attaches to every streaming context while it runs, found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/dev.millrace.streaming.internal.StreamingPlugin}).
 *
 * <p>This is how modules that core must not depend on (the web UI, metrics) come to life when
 * they are on the classpath: {@link StreamingEngine#start()} calls {@link #start} on each plugin
 * once the graph is valid and before the listener bus starts or any input starts, so a plugin that registers a
 * {@link dev.millrace.streaming.scheduler.StreamingListener} sees every event; {@link
 * StreamingEngine#stop} closes each returned handle after the last event was delivered.
 *
 * <p>A plugin decides from the context's configuration whether it runs (returning null if not).
 * A plugin that throws is logged and skipped; it never stops the job. Called on the thread
 * starting or stopping the context; implementations need a public no-argument constructor.
 */
public interface StreamingPlugin {
  /**
   * Attaches to a starting context.
   *
   * @return what to close when the context stops, or null if the plugin does not run for it
   */
  AutoCloseable start(StreamingEngine engine) throws Exception;
}
