package com.aicompanion.monitoring.internal.delivery;

import java.io.IOException;
import java.nio.file.Path;

/** A spool directory is held by another process or another store in this JVM. */
public final class SpoolInUseException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path directory;

  SpoolInUseException(Path directory, String holder) {
    super(
        "The spool directory "
            + directory
            + " is in use by "
            + holder
            + " (it holds the lock on "
            + directory.resolve(SpoolDirectory.LOCK_FILE)
            + "). Two applications or instances cannot share one spool directory: give each"
            + " instance its own directory, or stop the other one first.");
    this.directory = directory;
  }

  /** The directory that is in use. */
  public Path directory() {
    return directory;
  }
}
