package dev.millrace.streaming.kafka010.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a stream's {@link StreamProgress} in a directory: each write goes to a temporary file that
 * is flushed to disk and then atomically renamed to {@code progress-<sequence>}; the two newest
 * files are kept. Reading takes the newest file that decodes, so a torn or corrupt newest file
 * falls back to the one before.
 *
 * <p>Not thread-safe; the stream calls it under its own lock.
 */
public final class ProgressStore {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressStore.class);
  private static final String PREFIX = "progress-";

  private final Path dir;
  private long sequence;

  public ProgressStore(Path dir) {
    this.dir = dir;
  }

  public Path directory() {
    return dir;
  }

  /** The newest readable progress, if any; its sequence becomes the base for later writes. */
  public Optional<StreamProgress> read() {
    List<Path> files = files();
    for (int i = files.size() - 1; i >= 0; i--) {
      Path f = files.get(i);
      sequence = Math.max(sequence, sequenceOf(f));
      try {
        return Optional.of(StreamProgress.decode(Files.readAllBytes(f)));
      } catch (IOException | IllegalArgumentException e) {
        LOG.warn("Ignoring unreadable Kafka stream progress {}: {}", f, e.getMessage());
      }
    }
    return Optional.empty();
  }

  /**
   * Writes {@code progress} durably and atomically.
   *
   * @throws UncheckedIOException if the directory cannot be written
   */
  public void write(StreamProgress progress) {
    try {
      Files.createDirectories(dir);
      if (sequence == 0) {
        for (Path f : files()) {
          sequence = Math.max(sequence, sequenceOf(f));
        }
      }
      sequence++;
      Path target = dir.resolve(String.format("%s%019d", PREFIX, sequence));
      Path tmp = dir.resolve("." + target.getFileName() + ".tmp");
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ch.write(java.nio.ByteBuffer.wrap(progress.encode()));
        ch.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      List<Path> all = files();
      for (int i = 0; i < all.size() - 2; i++) {
        Files.deleteIfExists(all.get(i));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write Kafka stream progress to " + dir + ": " + e.getMessage(), e);
    }
  }

  private List<Path> files() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> out = new ArrayList<>();
      s.filter(p -> p.getFileName().toString().startsWith(PREFIX)).forEach(out::add);
      out.sort(null);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + dir, e);
    }
  }

  private static long sequenceOf(Path f) {
    try {
      return Long.parseLong(f.getFileName().toString().substring(PREFIX.length()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
