package dev.millrace.api.java;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.millrace.MillraceConf;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** {@link MillraceConf} and the creation of a {@link JavaMillraceContext}. */
class JavaMillraceContextTest {

  @Test
  void conf_acceptsSparkKeysAsAliases() {
    MillraceConf conf = new MillraceConf(false).set("spark.streaming.blockInterval", "100ms");
    assertThat(conf.get("millrace.streaming.blockInterval")).isEqualTo("100ms");
    assertThat(conf.get("spark.streaming.blockInterval")).isEqualTo("100ms");
    assertThat(conf.contains("spark.streaming.blockInterval")).isTrue();
    assertThat(conf.get("spark.nothing", "default")).isEqualTo("default");
    assertThrows(NoSuchElementException.class, () -> conf.get("spark.nothing"));
  }

  @Test
  void conf_setMasterAndAppName() {
    MillraceConf conf = new MillraceConf(false).setMaster("local[3]").setAppName("app");
    assertThat(conf.get("spark.master")).isEqualTo("local[3]");
    assertThat(conf.get("spark.app.name")).isEqualTo("app");
  }

  @Test
  void master_localN_givesNWorkerThreadsAndDefaultParallelism() {
    try (JavaMillraceContext sc = new JavaMillraceContext("local[3]", "n")) {
      assertThat(sc.defaultParallelism()).isEqualTo(3);
      assertThat(sc.parallelize(List.of(1, 2, 3, 4)).getNumPartitions()).isEqualTo(3);
    }
    try (JavaMillraceContext sc = new JavaMillraceContext("local", "one")) {
      assertThat(sc.defaultParallelism()).isEqualTo(1);
    }
    try (JavaMillraceContext sc = new JavaMillraceContext("local[*]", "all")) {
      assertThat(sc.defaultParallelism()).isEqualTo(Runtime.getRuntime().availableProcessors());
    }
  }

  @Test
  void defaultParallelism_canBeConfigured() {
    MillraceConf conf = new MillraceConf(false).setMaster("local[2]").setAppName("p")
        .set("spark.default.parallelism", "5");
    try (JavaMillraceContext sc = new JavaMillraceContext(conf)) {
      assertThat(sc.defaultParallelism()).isEqualTo(5);
      assertThat(sc.parallelizePairs(List.of(new dev.millrace.Tuple2<>("a", 1)), 1)
          .reduceByKey(Integer::sum).getNumPartitions()).isEqualTo(5);
    }
  }

  @Test
  void missingOrUnknownMaster_isRefusedWithAClearMessage() {
    IllegalArgumentException noMaster = assertThrows(IllegalArgumentException.class,
        () -> new JavaMillraceContext(new MillraceConf(false).setAppName("x")));
    assertThat(noMaster.getMessage()).isEqualTo("A master URL must be set in your configuration");
    IllegalArgumentException noName = assertThrows(IllegalArgumentException.class,
        () -> new JavaMillraceContext(new MillraceConf(false).setMaster("local")));
    assertThat(noName.getMessage()).isEqualTo("An application name must be set in your configuration");
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> new JavaMillraceContext("spark://host:7077", "x"));
    assertThat(bad.getMessage()).startsWith("Could not parse Master URL: 'spark://host:7077'");
  }

  @Test
  void stop_isIdempotent_andStopsJobs() {
    JavaMillraceContext sc = new JavaMillraceContext("local[2]", "stop");
    JavaRDD<Integer> r = sc.parallelize(List.of(1, 2, 3), 3);
    JavaRDD<Integer> single = sc.parallelize(List.of(1), 1);
    sc.stop();
    sc.stop();
    assertThat(sc.isStopped()).isTrue();
    assertThat(assertThrows(IllegalStateException.class, r::count).getMessage())
        .isEqualTo("Cannot call methods on a stopped MillraceContext.");
    // Also a job small enough to run on the calling thread alone.
    assertThat(assertThrows(IllegalStateException.class, single::collect).getMessage())
        .isEqualTo("Cannot call methods on a stopped MillraceContext.");
  }
}
