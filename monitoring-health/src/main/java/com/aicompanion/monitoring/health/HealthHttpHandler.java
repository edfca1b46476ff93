package com.aicompanion.monitoring.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import org.jspecify.annotations.Nullable;

/**
 * Serves {@code /health}, {@code /health/live} and {@code /health/ready} of a {@link
 * HealthRegistry} on any JDK {@link com.sun.net.httpserver.HttpServer}, without {@code Monitoring}
 * or its endpoint server.
 *
 * <pre>{@code
 * HealthRegistry health = HealthRegistry.builder().serviceId("ai-companion").build();
 * health.register("postgres", HealthChecks.jdbc(dataSource));
 * HttpServer server = HttpServer.create(new InetSocketAddress(8080), 0);
 * server.setExecutor(Executors.newFixedThreadPool(4));   // else a slow check blocks the dispatcher
 * server.createContext("/health", new HealthHttpHandler(health));      // details hidden
 * // or: new HealthHttpHandler(health, HealthDetails.AUTHORIZED, System.getenv("HEALTH_TOKEN"))
 * server.start();
 * }</pre>
 *
 * <p>Mounted at a context path {@code P}, it answers {@code P} (all checks), {@code P/live}
 * (liveness group) and {@code P/ready} (readiness group) with {@code application/health+json}: 200
 * for pass and warn, 503 for fail, {@code Cache-Control: no-store}; other paths 404, methods other
 * than GET and HEAD 405. Each request runs (or reuses) the checks and answers within the longest
 * check timeout; the handler never throws for a failing check. The JDK runs a handler on the
 * server's dispatcher thread when the server has no executor, so give the server one: otherwise a
 * probe that waits for a slow check delays every other request the server handles.
 */
public final class HealthHttpHandler implements HttpHandler {
  private final HealthResponder responder;

  /** Details hidden from every caller ({@link HealthDetails#NEVER}). */
  public HealthHttpHandler(HealthRegistry registry) {
    this(registry, HealthDetails.NEVER, null);
  }

  /**
   * @param registry the checks; not null
   * @param details who sees check details; not null
   * @param token the bearer token for {@link HealthDetails#AUTHORIZED}; null = no token, so
   *     AUTHORIZED shows details to nobody
   * @throws NullPointerException when registry or details is null
   * @throws IllegalArgumentException when the token is blank
   */
  public HealthHttpHandler(HealthRegistry registry, HealthDetails details, @Nullable String token) {
    this.responder = new HealthResponder(registry, details, token);
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String context = exchange.getHttpContext().getPath();
      if (context.endsWith("/")) {
        context = context.substring(0, context.length() - 1);
      }
      String path = exchange.getRequestURI().getPath();
      String sub = path.startsWith(context) ? path.substring(context.length()) : path;
      HealthResponder.Answer answer =
          responder.answer(
              exchange.getRequestMethod(),
              sub,
              exchange.getRequestHeaders().getFirst("Authorization"));
      exchange.getResponseHeaders().set("Content-Type", answer.contentType());
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      if (answer.methodNotAllowed()) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
      }
      if ("HEAD".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(answer.status(), -1);
        return;
      }
      exchange.sendResponseHeaders(answer.status(), answer.body().length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer.body());
      }
    }
  }
}
