package dev.millrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code --master} with a Spark master when millrace-spark is not on the class path (as in {@code java -jar millrace.jar}). */
class WordCountMasterTest {
  @Test
  void aSparkMaster_withoutMillraceSparkOnTheClassPath_isAUsageErrorSayingWhatIsMissing() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Millrace.run(new String[] {"wordcount", "--master", "spark://nowhere:7077", "--no-ui", "--stdin"},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), false);
    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("--master spark://nowhere:7077 runs on Apache Spark")
        .contains("millrace-spark module")
        .contains("bin/millrace adds them");
  }

  @Test
  void helpNamesTheSparkMasters() {
    assertThat(WordCount.HELP).contains("spark://HOST:7077", "local-cluster[2,1,1024]", "spark.jars");
  }
}
