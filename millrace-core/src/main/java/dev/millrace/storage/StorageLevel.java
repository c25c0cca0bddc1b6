package dev.millrace.storage;

import java.io.Serializable;

/**
 * How a persisted dataset is kept, with Spark's named levels.
 *
 * <p>The local runtime keeps every persisted partition in memory as objects, whatever the level;
 * the level is recorded so that a plan run on a Spark cluster keeps the user's choice. Callers use
 * the same accessors as Spark's Java callers: {@code StorageLevel.MEMORY_AND_DISK_SER()}.
 */
public final class StorageLevel implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final StorageLevel NONE = new StorageLevel("NONE", false, false, false, 1);
  private static final StorageLevel DISK_ONLY = new StorageLevel("DISK_ONLY", true, false, true, 1);
  private static final StorageLevel DISK_ONLY_2 = new StorageLevel("DISK_ONLY_2", true, false, true, 2);
  private static final StorageLevel MEMORY_ONLY = new StorageLevel("MEMORY_ONLY", false, true, true, 1);
  private static final StorageLevel MEMORY_ONLY_2 = new StorageLevel("MEMORY_ONLY_2", false, true, true, 2);
  private static final StorageLevel MEMORY_ONLY_SER = new StorageLevel("MEMORY_ONLY_SER", false, true, false, 1);
  private static final StorageLevel MEMORY_ONLY_SER_2 = new StorageLevel("MEMORY_ONLY_SER_2", false, true, false, 2);
  private static final StorageLevel MEMORY_AND_DISK = new StorageLevel("MEMORY_AND_DISK", true, true, true, 1);
  private static final StorageLevel MEMORY_AND_DISK_2 = new StorageLevel("MEMORY_AND_DISK_2", true, true, true, 2);
  private static final StorageLevel MEMORY_AND_DISK_SER = new StorageLevel("MEMORY_AND_DISK_SER", true, true, false, 1);
  private static final StorageLevel MEMORY_AND_DISK_SER_2 = new StorageLevel("MEMORY_AND_DISK_SER_2", true, true, false, 2);
  private static final StorageLevel OFF_HEAP = new StorageLevel("OFF_HEAP", true, true, false, 1);

  private final String name;
  private final boolean useDisk;
  private final boolean useMemory;
  private final boolean deserialized;
  private final int replication;

  private StorageLevel(String name, boolean useDisk, boolean useMemory, boolean deserialized, int replication) {
    this.name = name;
    this.useDisk = useDisk;
    this.useMemory = useMemory;
    this.deserialized = deserialized;
    this.replication = replication;
  }

  public static StorageLevel NONE() { return NONE; }
  public static StorageLevel DISK_ONLY() { return DISK_ONLY; }
  public static StorageLevel DISK_ONLY_2() { return DISK_ONLY_2; }
  public static StorageLevel MEMORY_ONLY() { return MEMORY_ONLY; }
  public static StorageLevel MEMORY_ONLY_2() { return MEMORY_ONLY_2; }
  public static StorageLevel MEMORY_ONLY_SER() { return MEMORY_ONLY_SER; }
  public static StorageLevel MEMORY_ONLY_SER_2() { return MEMORY_ONLY_SER_2; }
  public static StorageLevel MEMORY_AND_DISK() { return MEMORY_AND_DISK; }
  public static StorageLevel MEMORY_AND_DISK_2() { return MEMORY_AND_DISK_2; }
  public static StorageLevel MEMORY_AND_DISK_SER() { return MEMORY_AND_DISK_SER; }
  public static StorageLevel MEMORY_AND_DISK_SER_2() { return MEMORY_AND_DISK_SER_2; }
  public static StorageLevel OFF_HEAP() { return OFF_HEAP; }

  /** Whether partitions may spill to disk. */
  public boolean useDisk() { return useDisk; }

  /** Whether partitions are kept in memory. */
  public boolean useMemory() { return useMemory; }

  /** Whether partitions are kept as objects rather than serialized bytes. */
  public boolean deserialized() { return deserialized; }

  /** How many copies are kept. */
  public int replication() { return replication; }

  /** Whether this level keeps anything at all (every level but {@code NONE}). */
  public boolean isValid() { return useDisk || useMemory; }

  private Object readResolve() {
    for (StorageLevel level : new StorageLevel[] {NONE, DISK_ONLY, DISK_ONLY_2, MEMORY_ONLY, MEMORY_ONLY_2,
        MEMORY_ONLY_SER, MEMORY_ONLY_SER_2, MEMORY_AND_DISK, MEMORY_AND_DISK_2, MEMORY_AND_DISK_SER,
        MEMORY_AND_DISK_SER_2, OFF_HEAP}) {
      if (level.name.equals(name)) {
        return level;
      }
    }
    return this;
  }

  @Override
  public String toString() {
    return name;
  }
}
