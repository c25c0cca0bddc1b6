package dev.millrace.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResultTest {

  @Test
  void formattedLine_parsesBackToTheSameResult() {
    Result r = new Result("wordcount", "millrace", "words_per_s", 2.15e7);
    assertThat(Result.parse(r.format())).contains(r);
  }

  @Test
  void parse_readsAChildLine() {
    assertThat(Result.parse("@result workload=overhead engine=spark metric=p99_ms_10 value=41.5"))
        .contains(new Result("overhead", "spark", "p99_ms_10", 41.5));
  }

  @Test
  void otherOutput_isIgnored() {
    assertThat(Result.parse("[bench] millrace wordcount 1000000 words")).isEqualTo(Optional.empty());
    assertThat(Result.parse("-------------------------------------------")).isEmpty();
    assertThat(Result.parse("")).isEmpty();
  }

  @Test
  void malformedResultLine_isAnError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Result.parse("@result workload=wordcount engine=spark value=3"));
    assertThat(e).hasMessageContaining("engine=spark value=3");
    assertThrows(IllegalArgumentException.class,
        () -> Result.parse("@result workload=a engine=b metric=c value=fast"));
  }

  @Test
  void namesWithSpaces_areRejected() {
    assertThrows(IllegalArgumentException.class, () -> new Result("word count", "spark", "m", 1));
  }
}
