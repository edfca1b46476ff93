package com.aicompanion.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The JDK server logs through {@code System.Logger("com.sun.net.httpserver")}, which goes to
 * java.util.logging here: a handler on that logger sees every line it would print on stderr.
 */
class HeadRequestWarningTest {
  private static final Logger JDK_SERVER_LOG = Logger.getLogger("com.sun.net.httpserver");

  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord logRecord) {
          records.add(logRecord);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void attach() {
    capture.setLevel(Level.ALL);
    JDK_SERVER_LOG.addHandler(capture);
  }

  @AfterEach
  void detach() {
    JDK_SERVER_LOG.removeHandler(capture);
  }

  @Test
  void headWithAndWithoutGzipMakesTheJdkLogNoWarning() {
    try (Monitoring monitoring = TestMonitoring.builder("head-test").start()) {
      for (String encoding : List.of("gzip", "identity", "gzip, deflate;q=0.5")) {
        for (String accept : List.of("*/*", "application/openmetrics-text", "text/plain;q=0")) {
          HttpResponse<String> response =
              TestMonitoring.send(
                  HttpRequest.newBuilder(TestMonitoring.uri(monitoring, "/metrics"))
                      .method("HEAD", HttpRequest.BodyPublishers.noBody())
                      .header("Accept-Encoding", encoding)
                      .header("Accept", accept)
                      .build());
          assertThat(response.statusCode()).isIn(200, 406);
          assertThat(response.body()).isEmpty();
        }
      }
      HttpResponse<String> missing =
          TestMonitoring.send(
              HttpRequest.newBuilder(TestMonitoring.uri(monitoring, "/nothing-here"))
                  .method("HEAD", HttpRequest.BodyPublishers.noBody())
                  .build());
      assertThat(missing.statusCode()).isEqualTo(404);
    }

    assertThat(records)
        .filteredOn(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
        .extracting(LogRecord::getMessage)
        .isEmpty();
  }

  @Test
  void headOfGzippedMetricsAnnouncesTheEncodingWithoutABody() {
    try (Monitoring monitoring = TestMonitoring.builder("head-gzip").start()) {
      HttpResponse<String> response =
          TestMonitoring.send(
              HttpRequest.newBuilder(TestMonitoring.uri(monitoring, "/metrics"))
                  .method("HEAD", HttpRequest.BodyPublishers.noBody())
                  .header("Accept-Encoding", "gzip")
                  .build());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Encoding")).contains("gzip");
      assertThat(response.body()).isEmpty();
    }
  }
}
