package com.aicompanion.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/**
 * A start that fails after the endpoint server was bound (here: OTLP push asked for without its
 * module; the same path as a module that fails to start) frees the port again, so that the
 * application can retry on it. The JDK server closes its listening socket only through its
 * dispatcher, which a never-started server does not have.
 */
class FailedStartReleasesPortTest {

  @Test
  void theSamePortCanBeBoundAgainAfterAFailedStart() throws IOException {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }

    assertThatThrownBy(
            () ->
                TestMonitoring.builder("failed-start")
                    .metricsPort(port)
                    .config("metrics.export", "otlp")
                    .start())
        .isInstanceOf(MonitoringException.class);

    try (Monitoring monitoring = TestMonitoring.builder("second-start").metricsPort(port).start()) {
      assertThat(monitoring.metricsAddress().getPort()).isEqualTo(port);
      assertThat(TestMonitoring.get(monitoring, "/metrics").statusCode()).isEqualTo(200);
    }
  }
}
