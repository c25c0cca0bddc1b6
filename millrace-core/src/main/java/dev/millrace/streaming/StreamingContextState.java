package dev.millrace.streaming;

/** The lifecycle of a streaming context: defined, running, stopped. As Spark's enum. */
public enum StreamingContextState {
  /** Created; inputs, transformations and outputs may be added; not yet started. */
  INITIALIZED,
  /** Started and generating batches; the graph can no longer change. */
  ACTIVE,
  /** Stopped; it cannot be started again. */
  STOPPED
}
