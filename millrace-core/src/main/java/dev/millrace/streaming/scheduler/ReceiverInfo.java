package dev.millrace.streaming.scheduler;

/**
 * The state of one receiver: whether it is running and its last error. Immutable.
 *
 * @param streamId id of the receiver's input stream
 * @param name the receiver's name (its class name unless it says otherwise)
 * @param active whether it is running
 * @param location where it runs ({@code localhost} for the local runtime)
 * @param executorId which executor runs it ({@code driver} for the local runtime)
 * @param lastErrorMessage the last error's message, or empty
 * @param lastError the last error's description, or empty
 * @param lastErrorTime when the last error happened, or -1
 */
public record ReceiverInfo(
    int streamId,
    String name,
    boolean active,
    String location,
    String executorId,
    String lastErrorMessage,
    String lastError,
    long lastErrorTime) {

  /** A receiver with no error yet. */
  public ReceiverInfo(int streamId, String name, boolean active, String location, String executorId) {
    this(streamId, name, active, location, executorId, "", "", -1L);
  }
}
