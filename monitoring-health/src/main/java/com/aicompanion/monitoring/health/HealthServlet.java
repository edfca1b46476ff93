package com.aicompanion.monitoring.health;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * Serves {@code /health}, {@code /health/live} and {@code /health/ready} of a {@link
 * HealthRegistry} in any Jakarta Servlet 5+ container (Jetty, Tomcat, Undertow), without {@code
 * Monitoring} or its endpoint server. {@code jakarta.servlet-api} is an optional dependency of this
 * module: the container provides it.
 *
 * <pre>{@code
 * ServletContextHandler context = new ServletContextHandler();      // Jetty 12 ee10
 * context.addServlet(new ServletHolder(new HealthServlet(health)), "/health/*");
 * // Servlet API: servletContext.addServlet("health", new HealthServlet(health)).addMapping("/health/*");
 * }</pre>
 *
 * <p>Mapped to {@code P/*}, it answers {@code P} (all checks), {@code P/live} and {@code P/ready}
 * like {@link HealthHttpHandler}: {@code application/health+json}, 200 for pass and warn, 503 for
 * fail, 404 for other paths, 405 for methods other than GET and HEAD.
 */
public final class HealthServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  private final transient HealthResponder responder;

  /** Details hidden from every caller ({@link HealthDetails#NEVER}). */
  public HealthServlet(HealthRegistry registry) {
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
  public HealthServlet(HealthRegistry registry, HealthDetails details, @Nullable String token) {
    this.responder = new HealthResponder(registry, details, token);
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    HealthResponder.Answer answer =
        responder.answer(
            request.getMethod(), request.getPathInfo(), request.getHeader("Authorization"));
    response.setStatus(answer.status());
    response.setContentType(answer.contentType());
    response.setHeader("Cache-Control", "no-store");
    if (answer.methodNotAllowed()) {
      response.setHeader("Allow", "GET, HEAD");
    }
    if ("HEAD".equals(request.getMethod())) {
      return;
    }
    response.setContentLength(answer.body().length);
    response.getOutputStream().write(answer.body());
  }
}
