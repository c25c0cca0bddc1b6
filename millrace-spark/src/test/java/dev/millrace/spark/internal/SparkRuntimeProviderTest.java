package dev.millrace.spark.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.millrace.HashPartitioner;
import dev.millrace.MillraceException;
import dev.millrace.internal.runtime.BatchRuntimeProvider;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class SparkRuntimeProviderTest {
  private final SparkRuntimeProvider provider = new SparkRuntimeProvider();

  @Test
  void acceptsTheMastersSparkRunsAndNotTheLocalOnes() {
    assertThat(provider.accepts("spark://host:7077")).isTrue();
    assertThat(provider.accepts("local-cluster[2,1,1024]")).isTrue();
    assertThat(provider.accepts("yarn")).isTrue();
    assertThat(provider.accepts("k8s://https://host:6443")).isTrue();
    assertThat(provider.accepts("local")).isFalse();
    assertThat(provider.accepts("local[2]")).isFalse();
    assertThat(provider.accepts("local[*]")).isFalse();
  }

  @Test
  void isRegisteredAsAServiceSoThatCoreFindsIt() {
    assertThat(ServiceLoader.load(BatchRuntimeProvider.class).stream().map(ServiceLoader.Provider::type))
        .contains(SparkRuntimeProvider.class);
  }

  @Test
  void sparkPartitioner_placesKeysAsTheMillracePartitionerAndIsEqualExactlyWhenItIs() {
    SparkPartitioner p = new SparkPartitioner(new HashPartitioner(3));
    for (Object key : new Object[] {"a", "b", 17, -5, null}) {
      assertThat(p.getPartition(key)).isEqualTo(new HashPartitioner(3).getPartition(key));
    }
    assertThat(p.numPartitions()).isEqualTo(3);
    assertThat(p).isEqualTo(new SparkPartitioner(new HashPartitioner(3)))
        .hasSameHashCodeAs(new SparkPartitioner(new HashPartitioner(3)))
        .isNotEqualTo(new SparkPartitioner(new HashPartitioner(4)));
  }

  @Test
  void shipping_failsNamingTheOwnerAndTheClassThatIsNotSerializable() {
    Object notSerializable = new Thread();
    MillraceException e = assertThrows(MillraceException.class,
        () -> Shipping.check(new java.util.ArrayList<>(java.util.List.of(notSerializable)), "map [4] of stream 2"));
    assertThat(e).hasMessageContaining("map [4] of stream 2").hasMessageContaining("java.lang.Thread is not serializable");
  }
}
