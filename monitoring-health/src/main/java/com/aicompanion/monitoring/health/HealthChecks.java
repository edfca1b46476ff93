package com.aicompanion.monitoring.health;

import com.aicompanion.monitoring.health.internal.RedisPing;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Built-in checks for the usual dependencies. Each reports its latency (or the measured quantity)
 * as the observed value and bounds its own I/O, so a dead dependency does not hold a pool thread
 * for long beyond the registry's timeout.
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
   * Runs {@code validationQuery} (with a query timeout of 2s) on a connection from {@code
   * dataSource}; observed: latency in ms. Getting the connection is bounded by the pool's own
   * timeout (HikariCP: {@code connectionTimeout}) and by the registry's check timeout.
   */
  public static HealthCheck jdbc(DataSource dataSource, String validationQuery) {
    Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(validationQuery, "validationQuery");
    return () -> {
      long start = System.nanoTime();
      try (Connection connection = dataSource.getConnection();
          Statement statement = connection.createStatement()) {
        statement.setQueryTimeout((int) IO_TIMEOUT.toSeconds());
        try (ResultSet rows = statement.executeQuery(validationQuery)) {
          rows.next();
        }
      }
      return CheckResult.pass().observed(millisSince(start), "ms");
    };
  }

  /** {@code PING} to Redis at {@code host:port} without a password; observed: latency in ms. */
  public static HealthCheck redis(String host, int port) {
    return redis(host, port, null);
  }

  /**
   * {@code AUTH password} (if not null) and {@code PING} to Redis over a plain socket with 2s
   * connect and read timeouts; observed: latency in ms.
   */
  public static HealthCheck redis(String host, int port, String password) {
    Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("redis port " + port + " is not in [1, 65535]");
    }
    return () -> {
      long start = System.nanoTime();
      RedisPing.ping(host, port, password, IO_TIMEOUT);
      return CheckResult.pass().observed(millisSince(start), "ms");
    };
  }

  /** {@code GET uri}, passing on a status in [200, 399]; observed: latency in ms. */
  public static HealthCheck http(URI uri) {
    return http(uri, 200, 399, IO_TIMEOUT);
  }

  /**
   * {@code GET uri} with {@code timeout} for the whole exchange, passing on a status in [{@code
   * minStatus}, {@code maxStatus}] (redirects are not followed); observed: latency in ms.
   */
  public static HealthCheck http(URI uri, int minStatus, int maxStatus, Duration timeout) {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(timeout, "timeout");
    if (minStatus < 100 || maxStatus > 599 || minStatus > maxStatus) {
      throw new IllegalArgumentException(
          "status range [" + minStatus + ", " + maxStatus + "] is not within [100, 599]");
    }
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
    return () -> {
      long start = System.nanoTime();
      HttpResponse<Void> response = HTTP.send(request, HttpResponse.BodyHandlers.discarding());
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
   * observed: usable bytes.
   */
  public static HealthCheck diskSpace(Path path, long minFreeBytes) {
    Objects.requireNonNull(path, "path");
    if (minFreeBytes < 0) {
      throw new IllegalArgumentException("minFreeBytes " + minFreeBytes + " must not be negative");
    }
    return () -> {
      long usable;
      try {
        usable = Files.getFileStore(path).getUsableSpace();
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
   * heap when no maximum is set); observed: the used ratio.
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

  private static double millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000.0;
  }
}
