package com.aicompanion.examples.chat;

import com.aicompanion.examples.chat.llm.LlmException;
import com.aicompanion.examples.chat.llm.LlmProvider.Message;
import com.aicompanion.monitoring.Monitor;
import com.aicompanion.monitoring.http.HttpServerInstrumentation;
import com.aicompanion.monitoring.tracing.Spans;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The chat API on the JDK HTTP server. With a monitor, one filter gives every request a SERVER span
 * continuing the caller's trace, {@code http_server_requests_seconds} under its route template and
 * the trace id in its log lines; without one (monitoring off) the server is plain.
 *
 * <ul>
 *   <li>{@code POST /chat} with {@code {"conversation_id": "...", "message": "...", "stream":
 *       false}}
 *   <li>{@code GET /conversations/{id}}
 * </ul>
 */
final class ChatHttpServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChatHttpServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CONVERSATION =
      Pattern.compile("/conversations/([A-Za-z0-9_.-]{1,128})");
  private static final int MAX_BODY = 64 * 1024;

  private final HttpServer server;
  private final ExecutorService executor;
  private final ChatService chat;
  private final boolean monitored;

  /** {@code monitor} is null when monitoring is off: no filter, no trace id in answers. */
  ChatHttpServer(int port, ChatService chat, Monitor monitor) throws IOException {
    this.chat = chat;
    this.monitored = monitor != null;
    this.server = HttpServer.create(new InetSocketAddress(port), 256);
    this.executor =
        Executors.newFixedThreadPool(
            32,
            r -> {
              Thread t = new Thread(r, "chat-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    HttpContext context = server.createContext("/", this::handle);
    if (monitor != null) {
      Filter monitoring =
          HttpServerInstrumentation.builder(monitor)
              .routes("/chat", "/conversations/{id}")
              .filter();
      context.getFilters().add(monitoring);
    }
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    try {
      Matcher conversation = CONVERSATION.matcher(path);
      if (path.equals("/chat")) {
        if (method.equals("POST")) {
          postChat(exchange);
        } else {
          notAllowed(exchange, "POST");
        }
      } else if (conversation.matches()) {
        if (method.equals("GET")) {
          getConversation(exchange, conversation.group(1));
        } else {
          notAllowed(exchange, "GET");
        }
      } else {
        error(exchange, 404, "not_found", "no route " + path);
      }
    } catch (RuntimeException e) {
      LOG.error("Request {} {} failed", method, path, e);
      throw e;
    } finally {
      exchange.close();
    }
  }

  private void postChat(HttpExchange exchange) throws IOException {
    byte[] raw = exchange.getRequestBody().readNBytes(MAX_BODY + 1);
    if (raw.length > MAX_BODY) {
      error(exchange, 413, "too_large", "request body over " + MAX_BODY + " bytes");
      return;
    }
    JsonNode body;
    try {
      body = JSON.readTree(raw);
    } catch (JacksonException e) {
      error(exchange, 400, "bad_json", "body is not JSON: " + e.getOriginalMessage());
      return;
    }
    String conversation = body == null ? "" : body.path("conversation_id").asText("");
    String message = body == null ? "" : body.path("message").asText("");
    if (!conversation.matches("[A-Za-z0-9_.-]{1,128}") || message.isBlank()) {
      error(
          exchange,
          400,
          "bad_request",
          "need conversation_id ([A-Za-z0-9_.-], up to 128) and a non-empty message");
      return;
    }
    MDC.put("conversation.id", conversation);
    try {
      if (body.path("stream").asBoolean(false)) {
        stream(exchange, conversation, message);
      } else {
        answer(exchange, conversation, message);
      }
    } finally {
      MDC.remove("conversation.id");
    }
  }

  private void answer(HttpExchange exchange, String conversation, String message)
      throws IOException {
    try {
      ChatService.Answer answer = chat.chat(conversation, message, chunk -> {});
      ObjectNode out =
          JSON.createObjectNode()
              .put("conversation_id", conversation)
              .put("answer", answer.text())
              .put("cached", answer.cached())
              .put("input_tokens", answer.inputTokens())
              .put("output_tokens", answer.outputTokens())
              .put("trace_id", monitored ? Spans.traceId() : "");
      send(exchange, 200, out);
    } catch (Exception e) {
      failure(exchange, e);
    }
  }

  /** Server-sent events: one {@code data: {"delta": ...}} per chunk, then {@code data: [DONE]}. */
  private void stream(HttpExchange exchange, String conversation, String message)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    exchange.sendResponseHeaders(200, 0);
    try (OutputStream out = exchange.getResponseBody()) {
      try {
        chat.chat(
            conversation,
            message,
            chunk -> event(out, JSON.createObjectNode().put("delta", chunk)));
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
      } catch (Exception e) {
        // the 200 is sent already: the error travels as the last event (and the LLM call's
        // error_type records it)
        event(out, JSON.createObjectNode().put("error", errorType(e)));
      }
    }
  }

  private static void event(OutputStream out, ObjectNode data) {
    try {
      out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void getConversation(HttpExchange exchange, String id) throws IOException {
    try {
      ObjectNode out = JSON.createObjectNode().put("conversation_id", id);
      var list = out.putArray("messages");
      for (Message m : chat.history(id)) {
        list.addObject().put("role", m.role()).put("content", m.content());
      }
      send(exchange, list.isEmpty() ? 404 : 200, out);
    } catch (SQLException e) {
      failure(exchange, e);
    }
  }

  private void failure(HttpExchange exchange, Exception e) throws IOException {
    int status = statusOf(e);
    LOG.warn("Chat request failed with {}: {}", status, e.toString());
    error(
        exchange,
        status,
        errorType(e),
        status == 502 ? "the language model failed" : "storage unavailable");
  }

  private static int statusOf(Exception e) {
    return e instanceof LlmException ? 502 : 503;
  }

  private static String errorType(Exception e) {
    return e instanceof LlmException llm ? llm.errorType() : "storage_unavailable";
  }

  private static void notAllowed(HttpExchange exchange, String allow) throws IOException {
    exchange.getResponseHeaders().set("Allow", allow);
    error(exchange, 405, "method_not_allowed", "use " + allow);
  }

  private static void error(HttpExchange exchange, int status, String type, String message)
      throws IOException {
    send(exchange, status, JSON.createObjectNode().put("error", type).put("message", message));
  }

  private static void send(HttpExchange exchange, int status, ObjectNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(1);
    executor.shutdownNow();
  }
}
