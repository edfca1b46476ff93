package com.aicompanion.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicompanion.monitoring.testsupport.Promtool;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real endpoint server on 127.0.0.1 and an ephemeral port, queried over HTTP. */
class MetricsEndpointTest {
  private static Monitoring monitoring;

  @BeforeAll
  static void start() {
    monitoring =
        TestMonitoring.builder("endpoint-test").version("1.4.2").environment("test").start();
    Monitor monitor = monitoring.monitor();
    monitor.incrementCounter("custom_events_total", Map.of("event_type", "user_action"));
    monitor.incrementCounter("plain_events", 2, Map.of("event_type", "user_action"));
    monitor.recordCustomMetric("custom_operation_duration", Duration.ofMillis(120));
    monitor.recordCustomMetric("payload_size_bytes", 512.0, Map.of("route", "/chat"));
    monitor.setGauge("queue_depth", 17, Map.of("queue", "ingest"));
    monitor.http().record("POST", "/chat", 200, Duration.ofMillis(840));
    monitor.http().record("GET", null, 404, Duration.ofMillis(2));
    monitor.cache("llm-responses").hit();
    LlmCall call = monitor.llm().start("openai", "gpt-4o", "chat");
    call.firstChunk();
    call.finish(100, 200);
  }

  @AfterAll
  static void stop() {
    monitoring.close();
  }

  @Test
  void exposesFacadeMetricsWithExactlyOneTotalSuffix() {
    String body = TestMonitoring.scrape(monitoring);
    assertThat(Exposition.require(body, "custom_events_total{event_type=\"user_action\"}"))
        .isEqualTo(1.0);
    assertThat(Exposition.require(body, "plain_events_total{event_type=\"user_action\"}"))
        .isEqualTo(2.0);
    assertThat(body).doesNotContain("_total_total");
    assertThat(Exposition.require(body, "custom_operation_duration_seconds_sum")).isEqualTo(0.12);
    assertThat(Exposition.require(body, "payload_size_bytes_sum{route=\"/chat\"}"))
        .isEqualTo(512.0);
    assertThat(Exposition.require(body, "queue_depth{queue=\"ingest\"}")).isEqualTo(17.0);
  }

  @Test
  void exposesTheStandardFamiliesOfTheCatalog() {
    String body = TestMonitoring.scrape(monitoring);
    assertThat(
            Exposition.require(
                body, "app_info{environment=\"test\",service=\"endpoint-test\",version=\"1.4.2\"}"))
        .isEqualTo(1.0);
    assertThat(body)
        .contains(
            "jvm_memory_used_bytes{",
            "jvm_memory_max_bytes{",
            "jvm_threads_live_threads ",
            "jvm_classes_loaded_classes ",
            "process_cpu_usage ",
            "system_cpu_usage ",
            "process_uptime_seconds ",
            "process_files_open_files ",
            "system_load_average_1m ",
            "http_server_requests_seconds_bucket{error_type=\"\",method=\"POST\",outcome=\"SUCCESS\",status=\"200\",uri=\"/chat\",le=\"1.0\"} 1",
            "uri=\"NOT_FOUND\"",
            "cache_gets_total{cache=\"llm-responses\",result=\"hit\"} 1.0",
            "gen_ai_client_operation_duration_seconds_bucket{",
            "gen_ai_client_token_usage_bucket{",
            "gen_ai_client_time_to_first_chunk_seconds_bucket{",
            "llm_cost_usd_total{gen_ai_provider_name=\"openai\",gen_ai_request_model=\"gpt-4o\"}",
            "llm_requests_in_flight{");
  }

  @Test
  void promtoolAcceptsTheRealExposition() {
    String body = TestMonitoring.scrape(monitoring);
    Promtool.Result result = Promtool.checkMetrics(body);
    assertThat(result.exitCode()).as(result.output()).isZero();
  }

  @Test
  void openMetricsIsServedWhenTheScraperAsksForIt() {
    HttpResponse<String> response =
        TestMonitoring.send(
            HttpRequest.newBuilder(TestMonitoring.uri(monitoring, "/metrics"))
                .header("Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8")
                .build());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .get()
        .asString()
        .startsWith("application/openmetrics-text");
    assertThat(response.body()).contains("# TYPE custom_events counter").endsWith("# EOF\n");
  }

  @Test
  void prometheusTextIsTheDefault() {
    HttpResponse<String> response = TestMonitoring.get(monitoring, "/metrics");
    assertThat(response.headers().firstValue("Content-Type"))
        .get()
        .asString()
        .startsWith("text/plain; version=0.0.4");
    assertThat(response.body())
        .contains("# TYPE custom_events_total counter")
        .doesNotContain("# EOF");
  }

  @Test
  void gzipIsUsedWhenAccepted() throws IOException {
    HttpResponse<byte[]> response =
        sendBytes(
            HttpRequest.newBuilder(TestMonitoring.uri(monitoring, "/metrics"))
                .header("Accept-Encoding", "gzip")
                .build());
    assertThat(response.headers().firstValue("Content-Encoding")).contains("gzip");
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(text).contains("custom_events_total{event_type=\"user_action\"} 1.0");
    }
  }

  @Test
  void nameFilterReturnsOnlyTheNamedMetrics() {
    String body =
        TestMonitoring.get(monitoring, "/metrics?name[]=queue_depth&name[]=app_info").body();
    assertThat(body).contains("queue_depth{queue=\"ingest\"} 17.0", "app_info{");
    assertThat(body).doesNotContain("custom_events_total", "jvm_memory_used_bytes");
  }

  @Test
  void headAnswersWithHeadersOnly() {
    HttpResponse<String> response =
        TestMonitoring.send(
            HttpRequest.newBuilder(TestMonitoring.uri(monitoring, "/metrics"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEmpty();
  }

  @Test
  void unknownPathIs404() {
    assertThat(TestMonitoring.get(monitoring, "/metricz").statusCode()).isEqualTo(404);
    assertThat(TestMonitoring.get(monitoring, "/").statusCode()).isEqualTo(404);
  }

  @Test
  void otherMethodsAre405WithAllow() {
    HttpResponse<String> response =
        TestMonitoring.send(
            HttpRequest.newBuilder(TestMonitoring.uri(monitoring, "/metrics"))
                .POST(HttpRequest.BodyPublishers.ofString("x"))
                .build());
    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow")).contains("GET, HEAD");
  }

  @Test
  void bearerTokenIsRequiredWhenConfigured() {
    try (Monitoring secured =
        TestMonitoring.builder("secured").endpointToken("s3cret-token").start()) {
      HttpRequest.Builder request = HttpRequest.newBuilder(TestMonitoring.uri(secured, "/metrics"));
      HttpResponse<String> anonymous = TestMonitoring.send(request.build());
      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
          .get()
          .asString()
          .startsWith("Bearer");
      assertThat(anonymous.body()).doesNotContain("app_info");

      HttpResponse<String> wrong =
          TestMonitoring.send(
              request.copy().header("Authorization", "Bearer s3cret-tokeN").build());
      assertThat(wrong.statusCode()).isEqualTo(401);

      HttpResponse<String> right =
          TestMonitoring.send(
              request.copy().header("Authorization", "Bearer s3cret-token").build());
      assertThat(right.statusCode()).isEqualTo(200);
      assertThat(right.body()).contains("app_info{");
    }
  }

  @Test
  void everyAnswerClosesItsConnectionSoThatNoSmallAnswerWaitsForADelayedAck() {
    HttpResponse<String> response = TestMonitoring.get(monitoring, "/metrics?name[]=app_info");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Connection")).hasValue("close");
  }

  @Test
  void startSetsNoJdkServerProperty() {
    assertThat(System.getProperties().stringPropertyNames())
        .noneMatch(name -> name.startsWith("sun.net.httpserver."));
  }

  @Test
  void highestWeightedFormatWinsWhateverTheHeaderOrder() {
    HttpResponse<String> response =
        TestMonitoring.send(
            HttpRequest.newBuilder(TestMonitoring.uri(monitoring, "/metrics"))
                .header(
                    "Accept",
                    "text/plain;version=0.0.4;q=0.6,application/openmetrics-text;version=1.0.0;q=0.5,*/*;q=0.3")
                .build());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .get()
        .asString()
        .startsWith("text/plain; version=0.0.4");
    assertThat(response.body()).doesNotContain("# EOF");
  }

  @Test
  void protobufIsServedWhenItWeighsMost() {
    HttpResponse<byte[]> response =
        sendBytes(
            HttpRequest.newBuilder(TestMonitoring.uri(monitoring, "/metrics"))
                .header(
                    "Accept",
                    "Application/Vnd.Google.Protobuf; Proto=io.prometheus.client.MetricFamily;"
                        + " Encoding=Delimited; q=0.9, text/plain; q=0.5")
                .build());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .get()
        .asString()
        .startsWith("application/vnd.google.protobuf")
        .contains("proto=io.prometheus.client.MetricFamily", "encoding=delimited");
    assertThat(new String(response.body(), StandardCharsets.ISO_8859_1)).contains("app_info");
  }

  @Test
  void refusingEveryFormatGets406NamingTheOfferedTypes() {
    HttpResponse<String> response =
        TestMonitoring.send(
            HttpRequest.newBuilder(TestMonitoring.uri(monitoring, "/metrics"))
                .header("Accept", "application/json, text/plain;q=0")
                .build());
    assertThat(response.statusCode()).isEqualTo(406);
    assertThat(response.body())
        .contains(
            "text/plain; version=0.0.4",
            "application/openmetrics-text; version=1.0.0",
            "application/vnd.google.protobuf");
  }

  @Test
  void anUnknownTypeAloneFallsBackToText() {
    HttpResponse<String> response =
        TestMonitoring.send(
            HttpRequest.newBuilder(TestMonitoring.uri(monitoring, "/metrics"))
                .header("Accept", "application/json")
                .build());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .get()
        .asString()
        .startsWith("text/plain; version=0.0.4");
  }

  @Test
  void gzipRefusedWithZeroWeightIsNotUsed() {
    HttpResponse<String> response =
        TestMonitoring.send(
            HttpRequest.newBuilder(TestMonitoring.uri(monitoring, "/metrics"))
                .header("Accept-Encoding", "gzip;q=0, identity")
                .build());
    assertThat(response.headers().firstValue("Content-Encoding")).isEmpty();
    assertThat(response.body()).contains("app_info{");
  }

  @Test
  void customMetricsPathIsServed() {
    try (Monitoring custom =
        TestMonitoring.builder("custom-path").metricsPath("/prometheus").start()) {
      assertThat(TestMonitoring.get(custom, "/prometheus").statusCode()).isEqualTo(200);
      assertThat(TestMonitoring.get(custom, "/metrics").statusCode()).isEqualTo(404);
    }
  }

  private static HttpResponse<byte[]> sendBytes(HttpRequest request) {
    try {
      return TestMonitoring.HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
