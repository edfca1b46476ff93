package com.aicompanion.monitoring.langchain4j;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-compatible server on 127.0.0.1 (JDK HttpServer): chat completions as one JSON answer or
 * as server-sent events ({@code data: {...}} chunks, usage in the last one, {@code data: [DONE]}),
 * embeddings, and on demand an HTTP error or a stream that stops after its first chunk until
 * released (for a client that cancels).
 */
final class FakeOpenAi implements AutoCloseable {
  static final String MODEL = "gpt-4o-mini";
  static final int PROMPT_TOKENS = 12;
  static final int COMPLETION_TOKENS = 5;
  static final int EMBEDDING_TOKENS = 4;

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final AtomicInteger requests = new AtomicInteger();
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile int errorStatus;
  private volatile boolean holdAfterFirstChunk;
  private volatile long firstChunkDelayMillis;
  private volatile boolean streamEndedByClient;

  FakeOpenAi() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/v1/chat/completions", this::chat);
    server.createContext("/v1/embeddings", this::embeddings);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  /** The next answers are this HTTP error (0: none). */
  void failWith(int status) {
    this.errorStatus = status;
  }

  /** Streams stop after their first chunk until {@link #close}. */
  void holdAfterFirstChunk() {
    this.holdAfterFirstChunk = true;
  }

  /** Waits before the first streamed chunk, so that time to first chunk has a known floor. */
  void delayFirstChunk(long millis) {
    this.firstChunkDelayMillis = millis;
  }

  int requests() {
    return requests.get();
  }

  /** Whether writing a held stream's rest failed because the client had gone. */
  boolean streamEndedByClient() {
    return streamEndedByClient;
  }

  private void chat(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    if (errorStatus != 0) {
      error(exchange);
      return;
    }
    if (body.replace(" ", "").contains("\"stream\":true")) {
      stream(exchange);
      return;
    }
    json(
        exchange,
        "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\""
            + MODEL
            + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
            + "\"Hello there\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":"
            + PROMPT_TOKENS
            + ",\"completion_tokens\":"
            + COMPLETION_TOKENS
            + ",\"total_tokens\":"
            + (PROMPT_TOKENS + COMPLETION_TOKENS)
            + "}}");
  }

  private void stream(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    try {
      if (firstChunkDelayMillis > 0) {
        Thread.sleep(firstChunkDelayMillis);
      }
      List<String> parts = List.of("Hel", "lo ", "there");
      for (int i = 0; i < parts.size(); i++) {
        event(
            out,
            "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\""
                + MODEL
                + "\",\"choices\":[{\"index\":0,\"delta\":{"
                + (i == 0 ? "\"role\":\"assistant\"," : "")
                + "\"content\":\""
                + parts.get(i)
                + "\"},\"finish_reason\":null}]}");
        if (i == 0 && holdAfterFirstChunk) {
          release.await(30, TimeUnit.SECONDS);
          // the client cancelled meanwhile: keep writing until the closed connection shows
          for (int n = 0; n < 200; n++) {
            event(out, "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[]}");
          }
        }
      }
      event(
          out,
          "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\""
              + MODEL
              + "\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}");
      event(
          out,
          "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\""
              + MODEL
              + "\",\"choices\":[],\"usage\":{\"prompt_tokens\":"
              + PROMPT_TOKENS
              + ",\"completion_tokens\":"
              + COMPLETION_TOKENS
              + ",\"total_tokens\":"
              + (PROMPT_TOKENS + COMPLETION_TOKENS)
              + "}}");
      out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
      out.close();
    } catch (IOException e) {
      streamEndedByClient = true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      exchange.close();
    }
  }

  private static void event(OutputStream out, String json) throws IOException {
    out.write(("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private void embeddings(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    exchange.getRequestBody().readAllBytes();
    if (errorStatus != 0) {
      error(exchange);
      return;
    }
    json(
        exchange,
        "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,"
            + "\"embedding\":[0.1,0.2,0.3]}],\"model\":\"text-embedding-3-small\","
            + "\"usage\":{\"prompt_tokens\":"
            + EMBEDDING_TOKENS
            + ",\"total_tokens\":"
            + EMBEDDING_TOKENS
            + "}}");
  }

  private void error(HttpExchange exchange) throws IOException {
    byte[] body =
        ("{\"error\":{\"message\":\"status "
                + errorStatus
                + "\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}")
            .getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(errorStatus, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  private static void json(HttpExchange exchange, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  @Override
  public void close() {
    release.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
