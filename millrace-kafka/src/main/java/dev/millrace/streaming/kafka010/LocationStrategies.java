package dev.millrace.streaming.kafka010;

import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.TopicPartition;

/**
 * The {@link LocationStrategy} choices, as in Spark: {@link #PreferConsistent()} is what almost
 * every program wants. They are accepted everywhere and become meaningful once a distributed
 * runtime places tasks on more than one machine; in one JVM all tasks run locally.
 */
public final class LocationStrategies {
  private LocationStrategies() {}

  /** Run a partition's task on the host of its leader broker (only where executors run on brokers). */
  public static LocationStrategy PreferBrokers() {
    return new LocationStrategy.PreferBrokers();
  }

  /** Spread partitions evenly over the available executors. */
  public static LocationStrategy PreferConsistent() {
    return new LocationStrategy.PreferConsistent();
  }

  /** Run the named partitions on the given hosts; unnamed ones as {@link #PreferConsistent()}. */
  public static LocationStrategy PreferFixed(Map<TopicPartition, String> hostMap) {
    return new LocationStrategy.PreferFixed(Objects.requireNonNull(hostMap, "hostMap"));
  }
}
