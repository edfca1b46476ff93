package com.aicompanion.monitoring.health;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The free-space query of {@link HealthChecks#diskSpace}, on its own daemon thread so that a hung
 * file system cannot block a check run past its timeout. At most one query per check is
 * outstanding: a hung one is reported, not repeated.
 */
final class DiskQuery {
  private final Path path;
  private CompletableFuture<Long> pending;
  private long pendingSince;

  DiskQuery(Path path) {
    this.path = path;
  }

  long usableBytes(Duration timeout) throws IOException, InterruptedException {
    CompletableFuture<Long> query;
    synchronized (this) {
      if (pending != null && !pending.isDone()) {
        throw new IOException(
            "the previous free-space query has not returned after "
                + Duration.ofNanos(System.nanoTime() - pendingSince).toMillis()
                + "ms (a hung file system?)");
      }
      query = new CompletableFuture<>();
      pending = query;
      pendingSince = System.nanoTime();
    }
    Thread thread =
        new Thread(
            () -> {
              try {
                query.complete(Files.getFileStore(path).getUsableSpace());
              } catch (IOException | RuntimeException e) {
                query.completeExceptionally(e);
              }
            },
            "monitoring-health-disk");
    thread.setDaemon(true);
    thread.start();
    try {
      return query.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new IOException("the file system did not answer within " + timeout.toMillis() + "ms");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException(e.getCause());
    }
  }
}
