package com.aicompanion.monitoring.it.logs;

import com.aicompanion.monitoring.Monitoring;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The child JVM of {@link EveryLineJsonTest}: an application with every module, started from the
 * environment the test gives it, that makes each kind of writer speak once: itself before and after
 * start, OpenTelemetry through {@code java.util.logging} (a record of its own on {@code
 * io.opentelemetry.sdk}, and the SDK's real "ended span" record), the JDK server under requests,
 * and the library through start and the shutdown hook's close.
 */
public final class EveryLineJsonChild {
  static final String BEFORE_START = "application line before Monitoring.start";
  static final String OTEL_JUL = "a record on OpenTelemetry's java.util.logging logger";
  static final String APP_FAILURE = "application line with an exception";
  static final String SERVICE = "every-line-json";

  private EveryLineJsonChild() {}

  public static void main(String[] args) throws Exception {
    Logger log = LoggerFactory.getLogger("app");
    log.info(BEFORE_START);
    Monitoring monitoring =
        Monitoring.builder(SERVICE)
            .metricsHost("127.0.0.1")
            .metricsPort(0)
            .shutdownDrain(Duration.ZERO)
            .start();

    java.util.logging.Logger.getLogger("io.opentelemetry.sdk").warning(OTEL_JUL);
    Span span = GlobalOpenTelemetry.getTracer("every-line-json").spanBuilder("work").startSpan();
    span.end();
    span.end(); // the SDK logs "Calling end() on an ended or ending Span." at FINE

    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + monitoring.metricsAddress().getPort();
    for (String path : new String[] {"/metrics", "/health/ready", "/nothing-here"}) {
      http.send(
          HttpRequest.newBuilder(URI.create(base + path)).build(),
          HttpResponse.BodyHandlers.discarding());
    }
    log.error(APP_FAILURE, new IllegalStateException("boom"));
    // the JVM exits; the library's shutdown hook closes everything
    System.exit(0);
  }
}
