package dev.millrace.bench.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Workload 2's criterion and search: the highest offered line rate an engine sustains on the
 * socket word count. Pure logic, no time or threads: {@link BenchChild} drives the generator and
 * the engine and feeds what it observed here; the unit tests feed made-up batches.
 *
 * <h2>The criterion ({@link #judge})</h2>
 *
 * A step offers {@code R} lines/s for {@code N} measured batches of interval {@code I}. It passes
 * when all three hold:
 *
 * <ol>
 *   <li><b>received what was offered</b>: the measured batches' input records add up to at least
 *       {@link #MIN_RECEIVED_FRACTION} of {@code R * N * I}. A receiver that reads too slowly makes
 *       the socket fill up, the generator wait and this sum fall short;
 *   <li><b>processes within the interval</b>: the median processing delay of the measured
 *       batches is below {@code I};
 *   <li><b>scheduling delay stays bounded</b>: the last measured batch's scheduling delay is below
 *       {@code I}, so no backlog built up over the step.
 * </ol>
 *
 * A step whose batches fell behind by more than {@link #ABORT_INTERVALS} intervals of scheduling
 * delay is cut short by the driver and fails ({@code complete = false}).
 *
 * <h2>The search ({@link #next}, {@link #record})</h2>
 *
 * Starts at a given rate (in the benchmark: {@link #startFrom} the warm-up batches, which both
 * engines run at the same rate). After a pass, while no step has failed
 * above the best passing rate, it extrapolates: processing time grows about linearly with the
 * rate, so the next rate is the best one times {@code target * I / p} (with {@code p} that step's
 * median processing delay), kept between {@code minUp} and {@code maxUp} times. While none has
 * passed it multiplies the rate by {@code down} after a failure. Once it has a passing rate and a
 * failing rate above it, it bisects them geometrically, until they are within a factor {@code
 * precision} or the steps run out. The figure is the highest passing rate ({@link #best}).
 *
 * <p>Not thread-safe.
 */
public final class IngestSearch {
  /** Criterion 1: the share of the offered lines the measured batches must hold. */
  public static final double MIN_RECEIVED_FRACTION = 0.95;
  /** A step is cut short once a batch's scheduling delay exceeds this many intervals. */
  public static final int ABORT_INTERVALS = 3;

  /** What one step showed. */
  public record Verdict(boolean pass, double receivedFraction, double medianProcessingMs, long lastSchedulingDelayMs,
      String reason) {}

  /** One step: its offered rate and verdict. */
  public record Step(long rate, Verdict verdict) {}

  private final long start;
  private final long intervalMs;
  private final double target;
  private final double minUp;
  private final double maxUp;
  private final double down;
  private final double precision;
  private final int maxSteps;
  private final List<Step> steps = new ArrayList<>();

  /**
   * @param start the first rate to try, lines/s
   * @param intervalMs the batch interval
   * @param target after a pass, aim at this fraction of the interval for the processing delay (0 to 1]
   * @param minUp least factor up after a pass (above 1)
   * @param maxUp most factor up after a pass (at least minUp)
   * @param down factor after a failure while nothing passed (below 1)
   * @param precision stop once the lowest failing rate above the best is within this factor of it (above 1)
   * @param maxSteps most steps
   * @throws IllegalArgumentException if a parameter is out of range
   */
  public IngestSearch(long start, long intervalMs, double target, double minUp, double maxUp, double down,
      double precision, int maxSteps) {
    if (start <= 0 || intervalMs <= 0 || !(target > 0 && target <= 1) || !(minUp > 1) || !(maxUp >= minUp)
        || !(down > 0 && down < 1) || !(precision > 1) || maxSteps < 1) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "need start > 0, interval > 0, 0 < target <= 1, 1 < minUp <= maxUp, 0 < down < 1, precision > 1, "
              + "maxSteps >= 1; got %d, %d, %s, %s, %s, %s, %s, %d",
          start, intervalMs, target, minUp, maxUp, down, precision, maxSteps));
    }
    this.start = start;
    this.intervalMs = intervalMs;
    this.target = target;
    this.minUp = minUp;
    this.maxUp = maxUp;
    this.down = down;
    this.precision = precision;
    this.maxSteps = maxSteps;
  }

  /**
   * Judges one step.
   *
   * @param offeredRate lines/s offered during the step
   * @param intervalMs the batch interval
   * @param measured the step's measured batches, in order
   * @param wantedBatches how many were to be measured; fewer means the step was cut short
   */
  public static Verdict judge(long offeredRate, long intervalMs, List<BatchLog.AnyBatch> measured, int wantedBatches) {
    if (measured.isEmpty()) {
      return new Verdict(false, 0, Double.NaN, -1, "no batch measured");
    }
    long received = 0;
    List<Long> processing = new ArrayList<>();
    for (BatchLog.AnyBatch b : measured) {
      received += Math.max(0, b.inputRecords());
      processing.add(b.processingDelayMs());
    }
    double offered = (double) offeredRate * measured.size() * intervalMs / 1000.0;
    double fraction = received / offered;
    double medianProcessing = Stats.median(processing);
    long lastScheduling = measured.get(measured.size() - 1).schedulingDelayMs();
    List<String> why = new ArrayList<>();
    if (measured.size() < wantedBatches) {
      why.add("cut short after " + measured.size() + " of " + wantedBatches + " batches: scheduling delay over "
          + ABORT_INTERVALS + " intervals");
    }
    if (fraction < MIN_RECEIVED_FRACTION) {
      why.add(String.format(Locale.ROOT, "received %.1f%% of the offered lines", 100 * fraction));
    }
    if (!(medianProcessing < intervalMs)) {
      why.add("median processing delay " + medianProcessing + " ms >= interval");
    }
    if (lastScheduling >= intervalMs) {
      why.add("last scheduling delay " + lastScheduling + " ms >= interval");
    }
    return new Verdict(why.isEmpty(), fraction, medianProcessing, lastScheduling,
        why.isEmpty() ? "ok" : String.join("; ", why));
  }

  /**
   * The first rate of a search, extrapolated from warm-up batches run at {@code warmRate}: {@code
   * warmRate * target * interval / p}, with {@code p} the smallest processing delay among them (the
   * least disturbed by a cold start), kept between half and {@code maxUp} times {@code warmRate}.
   * With no warm-up batch, {@code warmRate}.
   */
  public static long startFrom(long warmRate, long intervalMs, double target, double maxUp,
      List<BatchLog.AnyBatch> warm) {
    long p = Long.MAX_VALUE;
    for (BatchLog.AnyBatch b : warm) {
      p = Math.min(p, b.processingDelayMs());
    }
    if (warm.isEmpty()) {
      return warmRate;
    }
    double factor = p > 0 ? target * intervalMs / p : maxUp;
    return Math.max(1, Math.round(warmRate * Math.max(0.5, Math.min(maxUp, factor))));
  }

  /**
   * Whether the best rate is bracketed: a step failed above it. When not (nothing passed, or the
   * steps ran out while still passing), the engine may sustain more than {@link #best}.
   */
  public boolean bracketed() {
    long best = best();
    return best > 0 && lowestFailingAbove(best) > 0;
  }

  /** The next rate to try, or -1 when the search is done. */
  public long next() {
    if (steps.size() >= maxSteps) {
      return -1;
    }
    if (steps.isEmpty()) {
      return start;
    }
    long best = best();
    long failAbove = lowestFailingAbove(best);
    if (best > 0 && failAbove > 0) {
      if (failAbove <= best * precision) {
        return -1;
      }
      return Math.round(Math.sqrt((double) best * failAbove));
    }
    if (best > 0) {
      double p = bestStep().verdict().medianProcessingMs();
      double factor = p > 0 ? target * intervalMs / p : maxUp;
      return Math.round(best * Math.max(minUp, Math.min(maxUp, factor)));
    }
    Step last = steps.get(steps.size() - 1);
    long lowestFail = Math.min(last.rate(), lowestFailingAbove(0));
    return Math.max(1, Math.round(lowestFail * down));
  }

  private Step bestStep() {
    Step best = null;
    for (Step s : steps) {
      if (s.verdict().pass() && (best == null || s.rate() > best.rate())) {
        best = s;
      }
    }
    return best;
  }

  /** Records the verdict of the step run at {@code rate}. */
  public void record(long rate, Verdict verdict) {
    steps.add(new Step(rate, verdict));
  }

  /** The highest passing rate, or 0 if none passed. */
  public long best() {
    long best = 0;
    for (Step s : steps) {
      if (s.verdict().pass()) {
        best = Math.max(best, s.rate());
      }
    }
    return best;
  }

  /** The lowest failing rate above {@code floor}, or 0 if none. */
  public long lowestFailingAbove(long floor) {
    long low = 0;
    for (Step s : steps) {
      if (!s.verdict().pass() && s.rate() > floor && (low == 0 || s.rate() < low)) {
        low = s.rate();
      }
    }
    return low;
  }

  public List<Step> steps() {
    return List.copyOf(steps);
  }
}
