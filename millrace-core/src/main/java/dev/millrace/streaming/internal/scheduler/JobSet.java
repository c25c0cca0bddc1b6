package dev.millrace.streaming.internal.scheduler;

import dev.millrace.streaming.Time;
import dev.millrace.streaming.scheduler.BatchInfo;
import dev.millrace.streaming.scheduler.OutputOperationInfo;
import dev.millrace.streaming.scheduler.StreamInputInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The jobs of one batch and their progress. Guarded by its own monitor. */
final class JobSet {
  final Time time;
  final List<Job> jobs;
  final Map<Integer, StreamInputInfo> inputInfos;
  final long submissionTime;
  private Long processingStartTime;
  private Long processingEndTime;
  private int completed;
  private boolean failed;
  /** Set once every job finished, before the batch's completion work starts. */
  private volatile boolean finished;
  private final Map<Integer, OutputOperationInfo> outputInfos = new HashMap<>();

  JobSet(Time time, List<Job> jobs, Map<Integer, StreamInputInfo> inputInfos, long submissionTime) {
    this.time = time;
    this.jobs = jobs;
    this.inputInfos = inputInfos;
    this.submissionTime = submissionTime;
    for (Job j : jobs) {
      outputInfos.put(j.outputOpId(), new OutputOperationInfo(time, j.outputOpId(), j.name(), j.callSite(),
          Optional.empty(), Optional.empty(), Optional.empty()));
    }
  }

  /** Marks a job started; returns true for the batch's first job. */
  synchronized boolean jobStarted(Job job, long now) {
    OutputOperationInfo i = outputInfos.get(job.outputOpId());
    outputInfos.put(job.outputOpId(), new OutputOperationInfo(time, i.id(), i.name(), i.description(),
        Optional.of(now), Optional.empty(), Optional.empty()));
    if (processingStartTime == null) {
      processingStartTime = now;
      return true;
    }
    return false;
  }

  /** Marks a job finished; returns true when it was the batch's last. */
  synchronized boolean jobCompleted(Job job, long now, String failure) {
    OutputOperationInfo i = outputInfos.get(job.outputOpId());
    outputInfos.put(job.outputOpId(), new OutputOperationInfo(time, i.id(), i.name(), i.description(),
        i.startTime(), Optional.of(now), Optional.ofNullable(failure)));
    completed++;
    if (failure != null) {
      failed = true;
    }
    if (completed == jobs.size()) {
      processingEndTime = now;
      return true;
    }
    return false;
  }

  /** Whether some job of the batch failed. */
  synchronized boolean hasFailed() {
    return failed;
  }

  /** Marks every job finished; from then on the batch no longer counts as pending for checkpoints. */
  void markFinished() {
    finished = true;
  }

  boolean isFinished() {
    return finished;
  }

  synchronized OutputOperationInfo outputInfo(int id) {
    return outputInfos.get(id);
  }

  synchronized BatchInfo toBatchInfo() {
    return new BatchInfo(time, inputInfos, submissionTime, Optional.ofNullable(processingStartTime),
        Optional.ofNullable(processingEndTime), outputInfos);
  }
}
