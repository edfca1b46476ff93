package com.aicompanion.examples.chat.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Any server that speaks the OpenAI chat-completions API ({@code POST <base>/chat/completions} with
 * {@code stream: true}): OpenAI, Azure-style gateways, vLLM, Ollama, LiteLLM.
 *
 * <pre>{@code
 * LlmProvider llm = new OpenAiCompatibleProvider(URI.create("https://api.openai.com/v1"), key, "gpt-4o");
 * }</pre>
 *
 * <p>Give it an instrumented client ({@code HttpClientInstrumentation.wrap(client, monitor)} from
 * monitoring-http) and each call is a CLIENT span with the W3C context sent to the provider and a
 * sample of {@code http_client_requests_seconds}; the provider itself stays plain.
 *
 * <p>The key travels only in the {@code Authorization} header; it is never logged (and the logging
 * module masks {@code sk-...} keys if it ever were).
 */
public final class OpenAiCompatibleProvider implements LlmProvider {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI baseUrl;
  private final String apiKey;
  private final String model;
  private final Duration timeout;
  private final HttpClient http;

  /** With a plain client ({@link #client()}). */
  public OpenAiCompatibleProvider(URI baseUrl, String apiKey, String model, Duration timeout) {
    this(baseUrl, apiKey, model, timeout, client());
  }

  /**
   * @param http the client calls go through, e.g. {@link #client()} wrapped by monitoring-http
   */
  public OpenAiCompatibleProvider(
      URI baseUrl, String apiKey, String model, Duration timeout, HttpClient http) {
    this.baseUrl = URI.create(baseUrl.toString().replaceAll("/+$", "") + "/");
    this.apiKey = apiKey;
    this.model = model;
    this.timeout = timeout;
    this.http = http;
  }

  /** The client this provider needs: 5 s to connect, the JDK's defaults otherwise. */
  public static HttpClient client() {
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @Override
  public String name() {
    return "openai";
  }

  @Override
  public String model() {
    return model;
  }

  /** The base URL, for the provider's health check. */
  public URI baseUrl() {
    return baseUrl;
  }

  @Override
  public Completion complete(List<Message> messages, Consumer<String> onChunk) throws LlmException {
    ObjectNode body = JSON.createObjectNode().put("model", model).put("stream", true);
    body.putObject("stream_options").put("include_usage", true);
    ArrayNode list = body.putArray("messages");
    messages.forEach(m -> list.addObject().put("role", m.role()).put("content", m.content()));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(baseUrl.resolve("chat/completions"))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("Accept", "text/event-stream")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    if (apiKey != null && !apiKey.isBlank()) {
      request.header("Authorization", "Bearer " + apiKey);
    }
    try {
      HttpResponse<InputStream> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      if (response.statusCode() != 200) {
        try (InputStream in = response.body()) {
          in.readAllBytes();
        }
        String type =
            response.statusCode() == 429 ? "rate_limited" : Integer.toString(response.statusCode());
        throw new LlmException(type, "provider answered HTTP " + response.statusCode());
      }
      return readStream(response.body(), onChunk);
    } catch (HttpTimeoutException e) {
      throw new LlmException("timeout", "provider did not answer within " + timeout, e);
    } catch (IOException e) {
      throw new LlmException(
          e.getClass().getSimpleName(), "provider unreachable: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LlmException("cancelled", "interrupted", e);
    }
  }

  private static Completion readStream(InputStream body, Consumer<String> onChunk)
      throws IOException {
    StringBuilder text = new StringBuilder();
    long in = 0;
    long out = 0;
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (!line.startsWith("data:")) {
          continue;
        }
        String data = line.substring(5).trim();
        if (data.equals("[DONE]")) {
          break;
        }
        JsonNode event = JSON.readTree(data);
        JsonNode delta = event.path("choices").path(0).path("delta").path("content");
        if (delta.isTextual() && !delta.asText().isEmpty()) {
          text.append(delta.asText());
          onChunk.accept(delta.asText());
        }
        JsonNode usage = event.path("usage");
        if (usage.isObject()) {
          in = usage.path("prompt_tokens").asLong(in);
          out = usage.path("completion_tokens").asLong(out);
        }
      }
    }
    return new Completion(text.toString(), in, out);
  }
}
