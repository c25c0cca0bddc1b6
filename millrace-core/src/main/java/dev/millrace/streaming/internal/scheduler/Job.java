package dev.millrace.streaming.internal.scheduler;

import dev.millrace.streaming.Time;

/**
 * One output operation of one batch, ready to run.
 *
 * @param time the batch time
 * @param outputOpId the output operation's id
 * @param name the output operation's short call site, as Spark names it: {@code print at WordCount.java:42}
 * @param callSite the long call site: the stack where the user defined it, one frame per line
 * @param body the work
 */
public record Job(Time time, int outputOpId, String name, String callSite, Body body) {

  /** The work of a job; may throw anything, which fails the job. */
  @FunctionalInterface
  public interface Body {
    void run() throws Exception;
  }

  /** {@code streaming job <time>.<outputOpId>}, as Spark names jobs. */
  public String id() {
    return "streaming job " + time + "." + outputOpId;
  }
}
