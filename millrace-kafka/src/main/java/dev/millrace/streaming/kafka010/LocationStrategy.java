package dev.millrace.streaming.kafka010;

import java.io.Serializable;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Where the tasks reading Kafka partitions should run. The port of Spark's {@code
 * LocationStrategy}; obtain one from {@link LocationStrategies}.
 *
 * <p>In one JVM every task runs locally, so the choice only matters once a distributed runtime
 * runs the plan. Immutable.
 */
public abstract class LocationStrategy implements Serializable {
  private static final long serialVersionUID = 1L;

  LocationStrategy() {}

  static final class PreferBrokers extends LocationStrategy {
    private static final long serialVersionUID = 1L;

    @Override
    public String toString() {
      return "PreferBrokers";
    }
  }

  static final class PreferConsistent extends LocationStrategy {
    private static final long serialVersionUID = 1L;

    @Override
    public String toString() {
      return "PreferConsistent";
    }
  }

  static final class PreferFixed extends LocationStrategy {
    private static final long serialVersionUID = 1L;
    final Map<TopicPartition, String> hostMap;

    PreferFixed(Map<TopicPartition, String> hostMap) {
      this.hostMap = Map.copyOf(hostMap);
    }

    @Override
    public String toString() {
      return "PreferFixed(" + hostMap + ")";
    }
  }
}
