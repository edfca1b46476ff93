package com.aicompanion.monitoring.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicompanion.monitoring.Monitoring;
import com.aicompanion.monitoring.testsupport.otlp.OtlpHttpReceiver;
import com.aicompanion.monitoring.testsupport.otlp.ReceivedMetrics;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The last push happens in {@code close()}, within the shared shutdown deadline. */
class OtlpPushCloseTest {
  private static Monitoring start(String url, Duration shutdownTimeout) {
    return Monitoring.builder("batch-job")
        .metricsHost("127.0.0.1")
        .metricsPort(0)
        .shutdownHook(false)
        .registerGlobal(false)
        .shutdownDrain(Duration.ZERO)
        .shutdownTimeout(shutdownTimeout)
        .config("metrics.export", "otlp")
        .config("metrics.otlp.endpoint", url)
        // no scheduled push during the test: what arrives is close()'s
        .config("metrics.otlp.step", "1h")
        .start();
  }

  @Test
  void closePushesTheFinalValuesBeforeItReturns() throws Exception {
    try (OtlpHttpReceiver receiver = OtlpHttpReceiver.start()) {
      Monitoring monitoring = start(receiver.url() + "/v1/metrics", Duration.ofSeconds(10));
      monitoring.monitor().incrementCounter("rows_loaded_total", 1234, Map.of("table", "orders"));
      Timer.builder("batch.step.duration")
          .serviceLevelObjectives(Duration.ofSeconds(1))
          .register(monitoring.monitor().registry())
          .record(Duration.ofMillis(1500));

      monitoring.close();

      ReceivedMetrics.Received rows = receiver.metrics.latest("rows_loaded").orElseThrow();
      assertThat(rows.metric().getSum().getDataPoints(0).getAsDouble()).isEqualTo(1234.0);
      HistogramDataPoint step =
          receiver.metrics.latestHistogramPoint("batch.step.duration", Map.of()).orElseThrow();
      assertThat(step.getBucketCountsList()).containsExactly(0L, 1L);
      assertThat(step.getSum()).isEqualTo(1.5);
    }
  }

  @Test
  void aReceiverThatNeverAnswersDoesNotHoldCloseBeyondTheDeadline() throws Exception {
    // accepts connections (the kernel's backlog) and never answers a byte
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor =
          new Thread(
              () -> {
                java.util.List<Socket> held = new java.util.ArrayList<>();
                try {
                  while (true) {
                    held.add(silent.accept());
                  }
                } catch (java.io.IOException closed) {
                  held.forEach(
                      s -> {
                        try {
                          s.close();
                        } catch (java.io.IOException ignored) {
                          // the test is over
                        }
                      });
                }
              },
              "silent-receiver");
      acceptor.setDaemon(true);
      acceptor.start();
      Duration deadline = Duration.ofSeconds(2);
      Monitoring monitoring =
          start("http://127.0.0.1:" + silent.getLocalPort() + "/v1/metrics", deadline);
      monitoring.monitor().incrementCounter("rows_loaded_total", Map.of("table", "orders"));

      long begin = System.nanoTime();
      monitoring.close();
      Duration took = Duration.ofNanos(System.nanoTime() - begin);

      // the push would wait for the HTTP read timeout (10 s); the deadline abandons it
      assertThat(took).isLessThan(deadline.plusSeconds(2));
    }
  }

  @Test
  void aReceiverDownMakesCloseReturnAtOnceWithoutThrowing() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    Duration deadline = Duration.ofSeconds(5);
    Monitoring monitoring = start("http://127.0.0.1:" + port + "/v1/metrics", deadline);
    monitoring.monitor().incrementCounter("rows_loaded_total", Map.of("table", "orders"));

    long begin = System.nanoTime();
    monitoring.close();

    assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(deadline);
  }
}
