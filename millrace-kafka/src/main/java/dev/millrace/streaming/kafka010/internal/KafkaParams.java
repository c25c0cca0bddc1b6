package dev.millrace.streaming.kafka010.internal;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Spark's overrides of the parameters of the consumers that read batches' records. */
public final class KafkaParams {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaParams.class);

  /** Prefix of the readers' group id; Spark's, so that ACLs written for Spark keep working. */
  public static final String EXECUTOR_GROUP_PREFIX = "spark-executor-";

  private KafkaParams() {}

  /**
   * A copy of {@code params} fit for reading fixed offset ranges: no auto commit, {@code
   * auto.offset.reset=none} (a range that is gone fails instead of silently reading elsewhere), a
   * group id of its own, and a receive buffer of at least 64 KiB (KAFKA-3135).
   */
  public static Map<String, Object> forReaders(Map<String, Object> params) {
    Map<String, Object> fixed = new HashMap<>(params);
    fixed.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    fixed.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    Object group = fixed.get(ConsumerConfig.GROUP_ID_CONFIG);
    if (group == null) {
      LOG.debug("group.id is not set; the readers use {}null", EXECUTOR_GROUP_PREFIX);
    }
    fixed.put(ConsumerConfig.GROUP_ID_CONFIG, EXECUTOR_GROUP_PREFIX + group);
    Object rbb = fixed.get(ConsumerConfig.RECEIVE_BUFFER_CONFIG);
    if (rbb == null || Integer.parseInt(rbb.toString()) < 65536) {
      fixed.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, 65536);
    }
    return fixed;
  }
}
