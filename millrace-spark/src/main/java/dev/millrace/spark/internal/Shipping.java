package dev.millrace.spark.internal;

import dev.millrace.MillraceException;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;

/**
 * Checks on the driver that what a plan ships to the executors serializes, so that a function
 * capturing something that cannot travel fails at once with the operation named, instead of deep in
 * Spark's task serialization. Stateless; thread-safe.
 */
final class Shipping {
  private Shipping() {}

  /**
   * @param what the object to ship (a plan node with its functions, an aggregator, a task)
   * @param owner names the operation in the message, e.g. the dataset {@code map [4] of stream 2 at
   *     time 1000 ms}
   * @throws MillraceException if {@code what} does not serialize
   */
  static void check(Object what, Object owner) {
    try (ObjectOutputStream out = new ObjectOutputStream(OutputStream.nullOutputStream())) {
      out.writeObject(what);
    } catch (NotSerializableException e) {
      throw new MillraceException("Cannot ship the function of " + owner + " to the cluster: " + e.getMessage()
          + " is not serializable (a function, and everything it captures, must be Serializable to run on Spark)",
          e);
    } catch (IOException | RuntimeException e) {
      throw new MillraceException("Cannot ship the function of " + owner + " to the cluster: " + e, e);
    }
  }
}
