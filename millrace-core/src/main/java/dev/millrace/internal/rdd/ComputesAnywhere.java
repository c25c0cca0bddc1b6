package dev.millrace.internal.rdd;

/**
 * Marks a dataset without parents whose serialized node can compute its partitions on any machine,
 * because each partition says where to read its records rather than holding them: a file split on
 * a file system all nodes share, a Kafka offset range. A runtime that executes plans on a cluster
 * computes such a dataset on the executors (each task reads its own partition) instead of reading
 * it on the driver and shipping the records.
 *
 * <p>An implementation keeps what {@code compute} needs in non-transient, serializable fields, and
 * its {@code compute} must not use the context.
 */
public interface ComputesAnywhere {}
