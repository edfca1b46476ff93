package com.aicompanion.monitoring.health;

import com.aicompanion.monitoring.health.internal.RedisPing;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Built-in checks for the usual dependencies. Each reports its latency (or the measured quantity)
 * as the observed value and bounds its own I/O at socket level: by {@link #IO_TIMEOUT}, and when
 * run by a {@link HealthRegistry} by what is left of the check's timeout less a margin (a tenth, at
 * least 200ms, at most a quarter), so that a dead or frozen dependency fails the run with the
 * check's own error and the run's thread, and any pooled connection it borrowed, come back within
 * the check's timeout.
 *
 * <pre>{@code
 * health.register("postgres", HealthChecks.jdbc(dataSource), CheckOptions.critical());
 * health.register("cache", HealthChecks.redis("localhost", 6379), CheckOptions.nonCritical());
 * health.register("search", HealthChecks.http(URI.create("http://es:9200/_cluster/health")),
 *     CheckOptions.nonCritical());
 * health.register("disk", HealthChecks.diskSpace(Path.of("/var/data"), 500_000_000L),
 *     CheckOptions.critical().groups(CheckOptions.Group.LIVENESS));
 * health.register("heap", HealthChecks.heap(0.95), CheckOptions.nonCritical());
 * }</pre>
 */
public final class HealthChecks {
  /** The I/O timeout of the built-in network checks. */
  public static final Duration IO_TIMEOUT = Duration.ofSeconds(2);

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .connectTimeout(IO_TIMEOUT)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  private HealthChecks() {}

  /** Runs {@code SELECT 1} on a connection from {@code dataSource}; observed: latency in ms. */
  public static HealthCheck jdbc(DataSource dataSource) {
    return jdbc(dataSource, "SELECT 1");
  }

  /**
   * Runs {@code validationQuery} on a connection from {@code dataSource}; observed: latency in ms.
   * The query's socket reads are bounded with {@link Connection#setNetworkTimeout} (a frozen
   * connection fails the run instead of blocking its thread; the driver closes it and a pool such
   * as HikariCP evicts it) and by a query timeout; the previous network timeout is restored when
   * the connection is still open. Getting the connection is bounded by the pool's own timeout
   * (HikariCP: {@code connectionTimeout}) and is interrupted at the check's timeout.
   *
   * @throws NullPointerException when an argument is null
   */
  public static HealthCheck jdbc(DataSource dataSource, String validationQuery) {
    Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(validationQuery, "validationQuery");
    return () -> {
      long start = System.nanoTime();
      try (Connection connection = dataSource.getConnection()) {
        Duration io = RunDeadline.ioTimeout(IO_TIMEOUT);
        JdbcProbe.query(connection, validationQuery, io);
      }
      return CheckResult.pass().observed(millisSince(start), "ms");
    };
  }

  /** {@code PING} to Redis at {@code host:port} without a password; observed: latency in ms. */
  public static HealthCheck redis(String host, int port) {
    return redis(host, port, null);
  }

  /**
   * {@code AUTH password} (if not null) and {@code PING} to Redis over a plain socket; observed:
   * latency in ms. Connecting and every read share one deadline of 2s (less when run by a registry
   * with less time left), so a Redis or relay that stops answering fails the run in time.
   *
   * @throws IllegalArgumentException when the port is not in [1, 65535]
   */
  public static HealthCheck redis(String host, int port, @Nullable String password) {
    Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("redis port " + port + " is not in [1, 65535]");
    }
    return () -> {
      long start = System.nanoTime();
      RedisPing.ping(host, port, password, RunDeadline.ioTimeout(IO_TIMEOUT));
      return CheckResult.pass().observed(millisSince(start), "ms");
    };
  }

  /** {@code GET uri}, passing on a status in [200, 399]; observed: latency in ms. */
  public static HealthCheck http(URI uri) {
    return http(uri, 200, 399, IO_TIMEOUT);
  }

  /**
   * {@code GET uri} with {@code timeout} for the whole exchange (less when run by a registry with
   * less time left), passing on a status in [{@code minStatus}, {@code maxStatus}] (redirects are
   * not followed); observed: latency in ms. At the timeout the exchange is cancelled, which closes
   * its connection, and the check throws {@link java.net.http.HttpTimeoutException}.
   *
   * @throws IllegalArgumentException when the status range is not within [100, 599]
   */
  public static HealthCheck http(URI uri, int minStatus, int maxStatus, Duration timeout) {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(timeout, "timeout");
    if (minStatus < 100 || maxStatus > 599 || minStatus > maxStatus) {
      throw new IllegalArgumentException(
          "status range ["
              + minStatus
              + ", "
              + maxStatus
              + "] is not within [100, 599]; use e.g. 200, 399");
    }
    return () -> {
      long start = System.nanoTime();
      Duration io = RunDeadline.ioTimeout(timeout);
      HttpRequest request = HttpRequest.newBuilder(uri).timeout(io).GET().build();
      CompletableFuture<HttpResponse<Void>> exchange =
          HTTP.sendAsync(request, HttpResponse.BodyHandlers.discarding());
      HttpResponse<Void> response;
      try {
        response = exchange.get(io.toNanos(), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        exchange.cancel(true);
        throw new HttpTimeoutException("no answer from " + uri + " within " + millis(io));
      } catch (ExecutionException e) {
        throw e.getCause() instanceof Exception cause ? cause : e;
      } finally {
        exchange.cancel(true); // a no-op once answered; frees the connection when interrupted
      }
      double millis = millisSince(start);
      int status = response.statusCode();
      if (status < minStatus || status > maxStatus) {
        return CheckResult.fail("HTTP " + status + ", expected " + minStatus + "-" + maxStatus)
            .observed(millis, "ms");
      }
      return CheckResult.pass().observed(millis, "ms");
    };
  }

  /**
   * Fails when the file store of {@code path} has fewer than {@code minFreeBytes} usable bytes;
   * observed: usable bytes. The file-system query runs on the check's own daemon thread and is
   * awaited for at most 2s (less when run by a registry with less time left), so a hung mount (NFS,
   * FUSE) fails the run instead of blocking it; while such a query has not returned, the check
   * fails at once naming it and starts no second one.
   *
   * @throws IllegalArgumentException when {@code minFreeBytes} is negative
   */
  public static HealthCheck diskSpace(Path path, long minFreeBytes) {
    Objects.requireNonNull(path, "path");
    if (minFreeBytes < 0) {
      throw new IllegalArgumentException(
          "minFreeBytes " + minFreeBytes + " must not be negative; use e.g. 500_000_000L");
    }
    DiskQuery query = new DiskQuery(path);
    return () -> {
      long usable;
      try {
        usable = query.usableBytes(RunDeadline.ioTimeout(IO_TIMEOUT));
      } catch (IOException e) {
        return CheckResult.fail("cannot read the free space of " + path + ": " + e.getMessage());
      }
      CheckResult result =
          usable < minFreeBytes
              ? CheckResult.fail(
                  usable + " bytes free on " + path + ", below the minimum of " + minFreeBytes)
              : CheckResult.pass();
      return result.observed(usable, "bytes");
    };
  }

  /**
   * Fails when used heap exceeds {@code maxUsedRatio} (0-1) of the maximum heap (of the committed
   * heap when no maximum is set); observed: the used ratio. Reads an in-process MXBean: no I/O, it
   * cannot block.
   *
   * @throws IllegalArgumentException when the ratio is not in (0, 1]
   */
  public static HealthCheck heap(double maxUsedRatio) {
    if (!(maxUsedRatio > 0 && maxUsedRatio <= 1)) {
      throw new IllegalArgumentException("maxUsedRatio " + maxUsedRatio + " must be in (0, 1]");
    }
    return () -> {
      MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
      long max = heap.getMax() > 0 ? heap.getMax() : heap.getCommitted();
      double ratio = (double) heap.getUsed() / max;
      CheckResult result =
          ratio > maxUsedRatio
              ? CheckResult.fail(
                  String.format(
                      java.util.Locale.ROOT,
                      "heap %.1f%% used, above %.1f%%",
                      ratio * 100,
                      maxUsedRatio * 100))
              : CheckResult.pass();
      return result.observed(ratio, "ratio");
    };
  }

  static String millis(Duration d) {
    return d.toMillis() + "ms";
  }

  private static double millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000.0;
  }
}
