package dev.millrace.streaming.internal.dstream;

/** Finds where user code called into the engine, for names like {@code print at WordCount.java:42}. */
final class CallSite {
  private CallSite() {}

  static String userCallSite(String operation) {
    for (StackTraceElement e : Thread.currentThread().getStackTrace()) {
      String c = e.getClassName();
      if (!c.startsWith("dev.millrace.") && !c.startsWith("java.") && !c.startsWith("jdk.")
          && !c.startsWith("sun.")) {
        return operation + " at " + e.getFileName() + ":" + e.getLineNumber();
      }
    }
    for (StackTraceElement e : Thread.currentThread().getStackTrace()) {
      String c = e.getClassName();
      if (c.startsWith("dev.millrace.examples.") || c.startsWith("dev.millrace.cli.")) {
        return operation + " at " + e.getFileName() + ":" + e.getLineNumber();
      }
    }
    return operation;
  }
}
