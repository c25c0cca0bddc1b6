package dev.millrace.internal.runtime;

import dev.millrace.MillraceConf;

/**
 * Makes the runtime for a master URL that the local runtime does not run ({@code spark://host:port},
 * {@code local-cluster[...]}, {@code yarn}, ...). Implementations live in optional modules and are
 * found with {@link java.util.ServiceLoader} (a {@code
 * META-INF/services/dev.millrace.internal.runtime.BatchRuntimeProvider} entry), so core never
 * depends on them: putting such a module on the classpath is what makes its masters work.
 *
 * <p>Implementations must be stateless and thread-safe, with a public no-argument constructor.
 */
public interface BatchRuntimeProvider {

  /** Whether this provider runs jobs for {@code master}. */
  boolean accepts(String master);

  /**
   * A runtime for {@code conf}'s master, started and ready for jobs.
   *
   * @param conf the application's configuration (master and application name are set)
   */
  BatchRuntime create(MillraceConf conf);
}
