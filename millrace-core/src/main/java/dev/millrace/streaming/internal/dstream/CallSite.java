package dev.millrace.streaming.internal.dstream;

import java.net.URL;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Where user code called into the engine, in Spark's two forms: the short form {@code
 * foreachRDD at WordCount.java:42} (the outermost engine method called, then the file and line of
 * the first user frame: Spark's {@code "$lastSparkMethod at $firstUserFile:$firstUserLine"}) and
 * the long form (that engine frame and the frames below it, one per line, at most {@value
 * #LONG_FORM_DEPTH} lines, as {@code spark.callstack.depth}).
 *
 * <p>Walking the stack from the innermost frame: <em>engine frames</em> are skipped, and the
 * outermost of them names the method; frames of the JDK, reflection, and test runners (JUnit,
 * jqwik, Surefire) are skipped too; the first other frame is user code. A class is an engine class
 * when its name starts with {@code dev.millrace.}, it is not in {@code dev.millrace.examples} or
 * {@code dev.millrace.cli} (programs, i.e. user code), and it was not loaded from a {@code
 * test-classes} directory (Millrace's own tests live in the engine's packages). Without a user
 * frame the short form is the operation alone.
 *
 * <p>Thread-safe; the engine/user decision is cached per class.
 */
final class CallSite {
  static final int LONG_FORM_DEPTH = 20;

  private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
  private static final ConcurrentHashMap<Class<?>, Boolean> ENGINE = new ConcurrentHashMap<>();

  /** The two forms. */
  record Site(String shortForm, String longForm) {}

  private CallSite() {}

  static String userCallSite(String operation) {
    return of(operation).shortForm();
  }

  /** The call site of the current thread's call into the engine; {@code operation} when there is no user frame. */
  static Site of(String operation) {
    List<StackWalker.StackFrame> frames = WALKER.walk(s -> s.skip(1).limit(256).collect(Collectors.toList()));
    StackWalker.StackFrame lastEngine = null;
    int lastEngineIndex = -1;
    for (int i = 0; i < frames.size(); i++) {
      StackWalker.StackFrame f = frames.get(i);
      Class<?> c = f.getDeclaringClass();
      if (isEngine(c)) {
        lastEngine = f;
        lastEngineIndex = i;
      } else if (!isTransparent(c.getName())) {
        if (lastEngine == null) {
          return new Site(operation, operation);
        }
        String method = methodName(lastEngine, operation);
        String shortForm = method + " at " + (f.getFileName() == null ? "<unknown>" : f.getFileName()) + ":"
            + Math.max(f.getLineNumber(), 0);
        List<String> lines = new ArrayList<>();
        for (int j = lastEngineIndex; j < frames.size() && lines.size() < LONG_FORM_DEPTH; j++) {
          lines.add(frames.get(j).toStackTraceElement().toString());
        }
        return new Site(shortForm, String.join("\n", lines));
      }
    }
    return new Site(operation, operation);
  }

  /** The engine method's name; a constructor's class name; the operation for a synthetic method. */
  private static String methodName(StackWalker.StackFrame f, String operation) {
    String m = f.getMethodName();
    if (m.equals("<init>")) {
      String c = f.getClassName();
      return c.substring(c.lastIndexOf('.') + 1);
    }
    return m.indexOf('$') >= 0 || m.startsWith("<") ? operation : m;
  }

  static boolean isEngine(Class<?> c) {
    return ENGINE.computeIfAbsent(c, CallSite::decide);
  }

  private static boolean decide(Class<?> c) {
    String n = c.getName();
    if (!n.startsWith("dev.millrace.") || n.startsWith("dev.millrace.examples.") || n.startsWith("dev.millrace.cli.")) {
      return false;
    }
    return !loadedFromTestClasses(c);
  }

  private static boolean loadedFromTestClasses(Class<?> c) {
    CodeSource source = c.getProtectionDomain() == null ? null : c.getProtectionDomain().getCodeSource();
    URL location = source == null ? null : source.getLocation();
    if (location == null) {
      return false;
    }
    String path = location.getPath();
    return path.endsWith("/test-classes/") || path.endsWith("/test-classes");
  }

  /** Frames that are neither engine nor user code: the JDK, reflection, lambdas, test runners. */
  static boolean isTransparent(String className) {
    return className.startsWith("java.") || className.startsWith("javax.") || className.startsWith("jdk.")
        || className.startsWith("sun.") || className.startsWith("com.sun.")
        || className.startsWith("org.junit.") || className.startsWith("junit.")
        || className.startsWith("net.jqwik.") || className.startsWith("org.apache.maven.surefire.");
  }
}
