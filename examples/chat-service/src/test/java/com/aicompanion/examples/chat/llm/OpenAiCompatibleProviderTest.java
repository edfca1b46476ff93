package com.aicompanion.examples.chat.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aicompanion.examples.chat.llm.LlmProvider.Completion;
import com.aicompanion.examples.chat.llm.LlmProvider.Message;
import com.aicompanion.monitoring.Monitor;
import com.aicompanion.monitoring.http.HttpClientInstrumentation;
import com.aicompanion.monitoring.test.MetricsAssert;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenAI-compatible client against a loopback server that answers in the chat-completions
 * streaming wire format (server-sent events), as OpenAI, vLLM or Ollama do.
 */
class OpenAiCompatibleProviderTest {
  private HttpServer server;
  private final AtomicReference<String> authorization = new AtomicReference<>();
  private final AtomicReference<String> requestBody = new AtomicReference<>();
  private volatile int status = 200;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/v1/chat/completions",
        exchange -> {
          authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
          requestBody.set(
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          if (status != 200) {
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
            return;
          }
          exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
          exchange.sendResponseHeaders(200, 0);
          try (OutputStream out = exchange.getResponseBody()) {
            for (String delta : List.of("Hel", "lo", " there")) {
              out.write(
                  ("data: {\"choices\":[{\"delta\":{\"content\":\"" + delta + "\"}}]}\n\n")
                      .getBytes(StandardCharsets.UTF_8));
              out.flush();
            }
            out.write(
                "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3}}\n\n"
                    .getBytes(StandardCharsets.UTF_8));
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private OpenAiCompatibleProvider provider() {
    URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    return new OpenAiCompatibleProvider(
        base, "sk-test-0123456789abcdefghij", "gpt-4o-mini", Duration.ofSeconds(5));
  }

  @Test
  void streamsChunksAndReadsUsage() throws Exception {
    List<String> chunks = new ArrayList<>();
    Completion completion = provider().complete(List.of(new Message("user", "Hi")), chunks::add);

    assertThat(chunks).containsExactly("Hel", "lo", " there");
    assertThat(completion.text()).isEqualTo("Hello there");
    assertThat(completion.inputTokens()).isEqualTo(12);
    assertThat(completion.outputTokens()).isEqualTo(3);
    assertThat(authorization.get()).isEqualTo("Bearer sk-test-0123456789abcdefghij");
    assertThat(requestBody.get())
        .contains("\"model\":\"gpt-4o-mini\"", "\"stream\":true", "\"content\":\"Hi\"");
  }

  @Test
  void throughTheInstrumentedClientEachCallIsAClientRequestSample() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    OpenAiCompatibleProvider instrumented =
        new OpenAiCompatibleProvider(
            base,
            null,
            "gpt-4o-mini",
            Duration.ofSeconds(5),
            HttpClientInstrumentation.wrap(
                OpenAiCompatibleProvider.client(), Monitor.create(registry)));

    Completion completion = instrumented.complete(List.of(new Message("user", "Hi")), c -> {});
    status = 429;
    assertThatThrownBy(() -> instrumented.complete(List.of(new Message("user", "Hi")), c -> {}))
        .isInstanceOf(LlmException.class);

    assertThat(completion.text()).isEqualTo("Hello there");
    MetricsAssert metrics = MetricsAssert.assertThat(registry);
    metrics
        .histogram("http_client_requests_seconds")
        .withLabels(
            "client_name", "127.0.0.1",
            "method", "POST",
            "outcome", "SUCCESS",
            "status", "200",
            "uri", "/v1/chat/completions")
        .count()
        .isEqualTo(1);
    metrics
        .histogram("http_client_requests_seconds")
        .withLabels("outcome", "CLIENT_ERROR", "status", "429")
        .count()
        .isEqualTo(1);
    registry.close();
  }

  @Test
  void rateLimitAndServerErrorsBecomeErrorTypes() {
    status = 429;
    assertThatThrownBy(() -> provider().complete(List.of(new Message("user", "Hi")), c -> {}))
        .isInstanceOfSatisfying(
            LlmException.class, e -> assertThat(e.errorType()).isEqualTo("rate_limited"));
    status = 503;
    assertThatThrownBy(() -> provider().complete(List.of(new Message("user", "Hi")), c -> {}))
        .isInstanceOfSatisfying(
            LlmException.class, e -> assertThat(e.errorType()).isEqualTo("503"));
  }

  @Test
  void unreachableProviderIsAnErrorTypeNotACrash() {
    int port = server.getAddress().getPort();
    server.stop(0);
    OpenAiCompatibleProvider gone =
        new OpenAiCompatibleProvider(
            URI.create("http://127.0.0.1:" + port + "/v1"),
            null,
            "gpt-4o-mini",
            Duration.ofSeconds(2));
    assertThatThrownBy(() -> gone.complete(List.of(new Message("user", "Hi")), c -> {}))
        .isInstanceOfSatisfying(
            LlmException.class, e -> assertThat(e.errorType()).isEqualTo("ConnectException"));
  }
}
