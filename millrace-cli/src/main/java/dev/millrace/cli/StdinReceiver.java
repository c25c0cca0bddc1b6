package dev.millrace.cli;

import dev.millrace.storage.StorageLevel;
import dev.millrace.streaming.internal.receiver.LineReader;
import dev.millrace.streaming.receiver.Receiver;
import java.io.IOException;

/**
 * Stores the lines of standard input; at its end, tells the command (which then stops gracefully,
 * so every line is counted). Over-long lines are reported and skipped, as on sockets.
 */
final class StdinReceiver extends Receiver<String> {
  private static final long serialVersionUID = 1L;
  private final int maxLineLength;
  private final transient Runnable atEnd;

  StdinReceiver(int maxLineLength, Runnable atEnd) {
    super(StorageLevel.MEMORY_AND_DISK_SER_2());
    this.maxLineLength = maxLineLength;
    this.atEnd = atEnd;
  }

  @Override
  public void onStart() {
    Thread t = new Thread(this::receive, "millrace-stdin");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void onStop() {
    // The reading thread ends at the end of the input; standard input is not closed.
  }

  private void receive() {
    LineReader reader = new LineReader(System.in, maxLineLength, (offset, bytes) -> reportError(
        "stdin (stream " + streamId() + "): skipped a line of " + bytes + " bytes at byte " + offset
            + ", longer than millrace.streaming.maxLineLength = " + maxLineLength + " characters", null));
    try {
      String line;
      while (!isStopped() && (line = reader.readLine()) != null) {
        store(line);
      }
    } catch (IOException e) {
      reportError("Error reading standard input", e);
    } catch (IllegalStateException stopped) {
      return;
    }
    atEnd.run();
  }
}
