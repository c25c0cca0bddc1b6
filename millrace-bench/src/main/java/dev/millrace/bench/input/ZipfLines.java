package dev.millrace.bench.input;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;
import java.util.SplittableRandom;

/**
 * Deterministic text for the benchmarks: lines of words drawn from a Zipf-distributed vocabulary.
 *
 * <p>Word {@code r} (rank 1 is the most frequent) is drawn with probability proportional to
 * {@code 1 / r^exponent}. Every word is lowercase ASCII, 4 to 8 letters long, and distinct from
 * every other word of the vocabulary; words are joined by single spaces, so {@code line.split(" ")}
 * gives exactly {@link #wordsPerLine()} words back. The same vocabulary size, exponent and seed give
 * the same lines in every JVM, which is how both engines of a comparison get the same input.
 *
 * <pre>{@code
 * ZipfLines gen = ZipfLines.standard(42);
 * List<String> lines = gen.lines(100_000);     // 1,000,000 words
 * }</pre>
 *
 * <p>Not thread-safe: one generator per thread (the vocabulary tables are immutable and cheap).
 */
public final class ZipfLines {
  /** Vocabulary size of {@link #standard(long)}. */
  public static final int STANDARD_VOCABULARY = 100_000;
  /** Zipf exponent of {@link #standard(long)}: classic natural-language text. */
  public static final double STANDARD_EXPONENT = 1.0;
  /** Words per line of {@link #standard(long)}. */
  public static final int STANDARD_WORDS_PER_LINE = 10;

  private final String[] words;
  private final double[] cumulative;
  private final int wordsPerLine;
  private final SplittableRandom random;

  /**
   * @throws IllegalArgumentException if the vocabulary is not in [1, 456976], the exponent is
   *     negative or not finite, or a line would have no words
   */
  public ZipfLines(int vocabulary, double exponent, int wordsPerLine, long seed) {
    if (vocabulary < 1 || vocabulary > 26 * 26 * 26 * 26) {
      throw new IllegalArgumentException("vocabulary must be in [1, 456976], was " + vocabulary);
    }
    if (!(exponent >= 0) || Double.isInfinite(exponent)) {
      throw new IllegalArgumentException("exponent must be finite and >= 0, was " + exponent);
    }
    if (wordsPerLine < 1) {
      throw new IllegalArgumentException("wordsPerLine must be positive, was " + wordsPerLine);
    }
    this.words = new String[vocabulary];
    this.cumulative = new double[vocabulary];
    double total = 0;
    for (int r = 1; r <= vocabulary; r++) {
      words[r - 1] = word(r);
      total += 1.0 / Math.pow(r, exponent);
      cumulative[r - 1] = total;
    }
    for (int i = 0; i < vocabulary; i++) {
      cumulative[i] /= total;
    }
    cumulative[vocabulary - 1] = 1.0;
    this.wordsPerLine = wordsPerLine;
    this.random = new SplittableRandom(seed);
  }

  /** 100,000 words, exponent 1.0, 10 words per line. */
  public static ZipfLines standard(long seed) {
    return new ZipfLines(STANDARD_VOCABULARY, STANDARD_EXPONENT, STANDARD_WORDS_PER_LINE, seed);
  }

  /**
   * The word of rank {@code rank} (1-based): four letters that encode the rank, then {@code rank %
   * 5} letters more, so words are distinct and 4 to 8 letters long.
   */
  public static String word(int rank) {
    if (rank < 1 || rank > 26 * 26 * 26 * 26) {
      throw new IllegalArgumentException("rank must be in [1, 456976], was " + rank);
    }
    int code = rank - 1;
    int extra = rank % 5;
    char[] c = new char[4 + extra];
    for (int i = 3; i >= 0; i--) {
      c[i] = (char) ('a' + code % 26);
      code /= 26;
    }
    for (int i = 0; i < extra; i++) {
      c[4 + i] = (char) ('a' + (rank * 7 + i * 3) % 26);
    }
    return new String(c);
  }

  public int vocabulary() {
    return words.length;
  }

  public int wordsPerLine() {
    return wordsPerLine;
  }

  /** The rank (1-based) of the next word drawn. */
  public int nextRank() {
    int i = Arrays.binarySearch(cumulative, random.nextDouble());
    return (i >= 0 ? i : -i - 1) + 1;
  }

  /** The next line: {@link #wordsPerLine()} words joined by single spaces. */
  public String nextLine() {
    StringBuilder b = new StringBuilder(wordsPerLine * 8);
    for (int i = 0; i < wordsPerLine; i++) {
      if (i > 0) {
        b.append(' ');
      }
      b.append(words[nextRank() - 1]);
    }
    return b.toString();
  }

  /** The next {@code count} lines. */
  public List<String> lines(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, was " + count);
    }
    List<String> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(nextLine());
    }
    return out;
  }

  /**
   * A read-only view of {@code size} lines that repeats {@code pool} from its start as often as
   * needed: big batches without holding as many distinct lines in memory. Splitting a repeated
   * line still makes new word strings, so no per-word work is saved by the repetition.
   *
   * @throws IllegalArgumentException if the pool is empty and size is positive, or size is negative
   */
  public static List<String> cycle(List<String> pool, int size) {
    if (size < 0 || (size > 0 && pool.isEmpty())) {
      throw new IllegalArgumentException("cannot cycle " + pool.size() + " lines to " + size);
    }
    return new Cycled(pool, size);
  }

  private static final class Cycled extends AbstractList<String> implements RandomAccess {
    private final List<String> pool;
    private final int size;

    Cycled(List<String> pool, int size) {
      this.pool = pool;
      this.size = size;
    }

    @Override
    public String get(int index) {
      if (index < 0 || index >= size) {
        throw new IndexOutOfBoundsException("index " + index + ", size " + size);
      }
      return pool.get(index % pool.size());
    }

    @Override
    public int size() {
      return size;
    }
  }
}
