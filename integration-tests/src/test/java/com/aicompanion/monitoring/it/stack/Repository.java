package com.aicompanion.monitoring.it.stack;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the repository's files are, for the stack tests of every package here.
 *
 * <pre>{@code
 * Path rules = Repository.stack().resolve("prometheus/alert_rules.yml");
 * }</pre>
 */
public final class Repository {
  private Repository() {}

  /**
   * {@code stack/} of the repository: the first directory named so, holding {@code
   * docker-compose.monitoring.yml}, above the working directory (a module's directory under Maven).
   *
   * @throws AssertionError when there is none
   */
  public static Path stack() {
    Path current = Path.of("").toAbsolutePath();
    while (current != null) {
      Path candidate = current.resolve("stack");
      if (Files.isRegularFile(candidate.resolve("docker-compose.monitoring.yml"))) {
        return candidate;
      }
      current = current.getParent();
    }
    throw new AssertionError("no stack/ directory above " + Path.of("").toAbsolutePath());
  }
}
