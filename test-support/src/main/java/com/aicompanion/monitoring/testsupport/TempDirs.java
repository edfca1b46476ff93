package com.aicompanion.monitoring.testsupport;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Temporary directories of tests that cannot use JUnit's {@code @TempDir} (jqwik properties, the
 * servers' data directories).
 *
 * <pre>{@code
 * Path dir = Files.createTempDirectory("spool-property");
 * try { ... } finally { TempDirs.deleteRecursively(dir); }
 * }</pre>
 */
public final class TempDirs {
  private TempDirs() {}

  /**
   * Deletes {@code dir} and everything below it; nothing when it does not exist. A failure is
   * ignored (a temporary directory left behind is harmless).
   */
  public static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
              Files.delete(d);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      // a temporary directory left behind is harmless
    }
  }
}
