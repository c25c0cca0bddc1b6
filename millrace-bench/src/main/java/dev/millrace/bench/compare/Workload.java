package dev.millrace.bench.compare;

/**
 * The workloads of the comparison, numbered as in the benchmarks issue and {@code
 * docs/benchmarks.md}. Those not {@link #available()} need engine features that do not exist yet;
 * adding one means: a method on {@link StreamingSide} (both sides), a routine in {@link
 * BenchChild}, its runs and rows in {@link CompareRunner}, and flipping {@code available}.
 * Immutable.
 */
public enum Workload {
  WORD_COUNT(1, "wordcount", "word count compute, 1 s batches", true),
  SOCKET(2, "socket", "socket word count ingest", true),
  OVERHEAD(3, "overhead", "per-batch overhead, tiny batches", true),
  STARTUP(4, "startup", "start-up and peak RSS", true),
  STATE(5, "state", "updateStateByKey / mapWithState, 1 M keys", true),
  WINDOW(6, "window", "reduceByKeyAndWindow with and without inverse", true),
  PLAIN_LOOP(7, "plainloop", "plain Java loop word count", true);

  private final int number;
  private final String id;
  private final String title;
  private final boolean available;

  Workload(int number, String id, String title, boolean available) {
    this.number = number;
    this.id = id;
    this.title = title;
    this.available = available;
  }

  public int number() {
    return number;
  }

  /** The name children and result lines use. */
  public String id() {
    return id;
  }

  public String title() {
    return title;
  }

  public boolean available() {
    return available;
  }

  /**
   * The workload with this number.
   *
   * @throws IllegalArgumentException if there is none
   */
  public static Workload byNumber(int n) {
    for (Workload w : values()) {
      if (w.number == n) {
        return w;
      }
    }
    throw new IllegalArgumentException("no workload " + n + " (there are 1 to 7)");
  }
}
