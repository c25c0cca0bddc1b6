package dev.millrace.streaming.scheduler;

import java.util.Map;
import java.util.Optional;

/**
 * What one input stream contributed to one batch: a record count and source-specific metadata
 * (offsets, file names). Immutable.
 *
 * @param inputStreamId id of the input stream
 * @param numRecords records in the batch from this stream
 * @param metadata source-specific details; under {@link #METADATA_KEY_DESCRIPTION} a text for people
 */
public record StreamInputInfo(int inputStreamId, long numRecords, Map<String, Object> metadata) {
  /** The metadata key of a human-readable description of the input. */
  public static final String METADATA_KEY_DESCRIPTION = "Description";

  public StreamInputInfo {
    if (numRecords < 0) {
      throw new IllegalArgumentException("numRecords must not be negative: " + numRecords);
    }
    metadata = Map.copyOf(metadata);
  }

  public StreamInputInfo(int inputStreamId, long numRecords) {
    this(inputStreamId, numRecords, Map.of());
  }

  /** The description in the metadata, if any. */
  public Optional<String> metadataDescription() {
    return Optional.ofNullable(metadata.get(METADATA_KEY_DESCRIPTION)).map(Object::toString);
  }
}
