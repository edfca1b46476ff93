package com.aicompanion.monitoring.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Health alone (issue 11, case 12): {@link HealthHttpHandler} on a JDK {@code HttpServer} and
 * {@link HealthServlet} in a real embedded Jetty 12 (ee10), without {@code Monitoring}.
 */
class StandaloneHealthEndpointTest {
  private static final String TOKEN = "health-token-42";

  /** Where the endpoints run. */
  enum Container {
    JDK_HTTP_SERVER,
    JETTY_SERVLET
  }

  private final HealthRegistry health =
      HealthRegistry.builder()
          .meterRegistry(new SimpleMeterRegistry())
          .serviceId("alone")
          .version("2.0.1")
          .build();
  private AutoCloseable server;
  private int port;

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    health.close();
  }

  private void serve(Container container, HealthDetails details, String token) throws Exception {
    switch (container) {
      case JDK_HTTP_SERVER -> {
        HttpServer jdk =
            HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ExecutorService executor = Executors.newFixedThreadPool(4);
        jdk.setExecutor(executor);
        jdk.createContext("/health", new HealthHttpHandler(health, details, token));
        jdk.start();
        port = jdk.getAddress().getPort();
        server =
            () -> {
              jdk.stop(0);
              executor.shutdownNow();
            };
      }
      case JETTY_SERVLET -> {
        Server jetty = new Server(new InetSocketAddress("127.0.0.1", 0));
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(
            new ServletHolder(new HealthServlet(health, details, token)), "/health/*");
        jetty.setHandler(context);
        jetty.start();
        port = ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
        server = jetty::stop;
      }
    }
  }

  private HttpResponse<String> request(String method, String path, String token) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return TestHttp.send(request.build());
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void servesAllLiveAndReadyWithTheirStatusCodes(Container container) throws Exception {
    health.register("database", () -> CheckResult.fail("down"));
    health.register(
        "deadlocks",
        CheckResult::pass,
        CheckOptions.critical().groups(CheckOptions.Group.LIVENESS));
    serve(container, HealthDetails.NEVER, null);

    HttpResponse<String> all = request("GET", "/health", null);
    HttpResponse<String> live = request("GET", "/health/live", null);
    HttpResponse<String> ready = request("GET", "/health/ready", null);

    assertThat(all.statusCode()).isEqualTo(503);
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(ready.headers().firstValue("Content-Type")).hasValue("application/health+json");
    assertThat(ready.headers().firstValue("Cache-Control")).hasValue("no-store");
    JsonNode body = TestHttp.json(ready.body());
    assertThat(body.path("status").asText()).isEqualTo("fail");
    assertThat(body.path("serviceId").asText()).isEqualTo("alone");
    assertThat(body.path("version").asText()).isEqualTo("2.0.1");
    assertThat(body.has("checks")).isFalse();
    assertThat(TestHttp.json(live.body()).path("status").asText()).isEqualTo("pass");
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void unknownPathIs404OtherMethods405AndHeadHasNoBody(Container container) throws Exception {
    health.register("db", CheckResult::pass);
    serve(container, HealthDetails.ALWAYS, null);

    HttpResponse<String> unknown = request("GET", "/health/everything", null);
    HttpResponse<String> post = request("POST", "/health", null);
    HttpResponse<String> head = request("HEAD", "/health/ready", null);

    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void withATokenOnlyCallersPresentingItSeeDetails(Container container) throws Exception {
    health.register("db", () -> CheckResult.pass().observed(3.5, "ms"));
    serve(container, HealthDetails.AUTHORIZED, TOKEN);

    JsonNode anonymous = TestHttp.json(request("GET", "/health", null).body());
    JsonNode wrong = TestHttp.json(request("GET", "/health", "nope").body());
    JsonNode authorized = TestHttp.json(request("GET", "/health", TOKEN).body());

    assertThat(anonymous.has("checks")).isFalse();
    assertThat(wrong.has("checks")).isFalse();
    JsonNode db = authorized.path("checks").path("db").path(0);
    assertThat(db.path("status").asText()).isEqualTo("pass");
    assertThat(db.path("observedValue").asDouble()).isEqualTo(3.5);
    assertThat(db.path("observedUnit").asText()).isEqualTo("ms");
    assertThat(db.path("time").asText()).isNotBlank();
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void authorizedWithoutATokenShowsDetailsToNobody(Container container) throws Exception {
    health.register("db", CheckResult::pass);
    serve(container, HealthDetails.AUTHORIZED, null);

    assertThat(TestHttp.json(request("GET", "/health", "anything").body()).has("checks")).isFalse();
  }

  @Test
  void blankTokenIsRefusedNamingTheFix() {
    assertThatThrownBy(() -> new HealthHttpHandler(health, HealthDetails.AUTHORIZED, " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is blank")
        .hasMessageContaining("pass null for no token");
  }

  @Test
  void reportRendersItselfWithItsHttpStatus() {
    health.register("cache", () -> CheckResult.fail("gone"), CheckOptions.nonCritical());
    HealthReport warn = health.check();
    health.register("db", () -> CheckResult.fail("down"));
    HealthReport fail = health.check();

    assertThat(warn.httpStatus()).isEqualTo(200);
    assertThat(fail.httpStatus()).isEqualTo(503);
    assertThat(TestHttp.json(fail.toJson(false)).fieldNames())
        .toIterable()
        .containsExactly("status", "serviceId", "version");
    JsonNode cache = TestHttp.json(fail.toJson(true)).path("checks").path("cache").path(0);
    assertThat(cache.path("status").asText()).isEqualTo("warn");
    assertThat(cache.path("output").asText()).isEqualTo("gone");
  }
}
