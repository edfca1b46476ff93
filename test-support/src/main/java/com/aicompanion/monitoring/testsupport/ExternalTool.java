package com.aicompanion.monitoring.testsupport;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds a program that {@code scripts/test.sh} installs from Debian's packages. A missing program
 * fails the test with the package to install: tests that need real parts never skip.
 */
public final class ExternalTool {
  private ExternalTool() {}

  /**
   * The absolute path of {@code program}, searched on PATH and then in {@code extraDirs} (globs of
   * one {@code *} level are allowed, e.g. {@code /usr/lib/postgresql/*}{@code /bin}).
   *
   * @throws AssertionError naming the Debian package and the command that installs it
   */
  public static Path require(String program, String debianPackage, String... extraDirs) {
    List<Path> candidates = new ArrayList<>();
    String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        candidates.add(Path.of(dir, program));
      }
    }
    for (String dir : extraDirs) {
      candidates.addAll(expand(dir, program));
    }
    for (Path candidate : candidates) {
      if (Files.isExecutable(candidate)) {
        return candidate.toAbsolutePath();
      }
    }
    throw new AssertionError(
        program
            + " is not installed, and this test needs the real program: run ./scripts/test.sh (it installs"
            + " the Debian package "
            + debianPackage
            + "), or apt-get install "
            + debianPackage);
  }

  private static List<Path> expand(String dir, String program) {
    int star = dir.indexOf('*');
    if (star < 0) {
      return List.of(Path.of(dir, program));
    }
    Path parent = Path.of(dir.substring(0, star));
    String rest = dir.substring(star + 1);
    List<Path> found = new ArrayList<>();
    try (var children = Files.list(parent)) {
      children
          .sorted(java.util.Comparator.reverseOrder())
          .forEach(child -> found.add(Path.of(child + rest, program)));
    } catch (java.io.IOException e) {
      // no such directory: nothing to add
    }
    return found;
  }
}
