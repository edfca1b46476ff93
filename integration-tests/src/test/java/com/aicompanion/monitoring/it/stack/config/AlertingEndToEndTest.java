package com.aicompanion.monitoring.it.stack.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aicompanion.monitoring.Monitoring;
import com.aicompanion.monitoring.health.CheckOptions;
import com.aicompanion.monitoring.health.HealthChecks;
import com.aicompanion.monitoring.health.HealthRegistry;
import com.aicompanion.monitoring.testsupport.ExporterProcess;
import com.aicompanion.monitoring.testsupport.PrometheusServer;
import com.aicompanion.monitoring.testsupport.RedisServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, end to end on the real binaries: Prometheus evaluating the SHIPPED alert rules (only
 * their {@code for:} durations scaled, see {@link #scaledRules}), the shipped Alertmanager
 * configuration delivering to a recording webhook ({@link AlertmanagerUnderTest}), Redis with the
 * real redis exporter, and an application with {@code Monitoring} and a non-critical {@code
 * llm-provider} check against a loopback provider. Stop the provider: {@code HealthCheckFailing}
 * reaches {@code backend-slack}; stop the redis exporter: {@code RedisDown} reaches {@code
 * backend-critical}; kill the application: {@code ServiceDown} reaches {@code backend-critical};
 * and no alert but the dead instance's own is muted.
 */
class AlertingEndToEndTest {
  private static final Pattern DURATION = Pattern.compile("(\\d+)([smh])");

  /**
   * The shipped rules with every {@code for:} divided by 60 (1m becomes 1s, 2m 2s, 5m 5s), at least
   * 1 s; expressions, labels and annotations untouched. With 1 s scrape and evaluation intervals
   * (instead of 15 s) the rules keep their shape and fire in seconds.
   */
  static Path scaledRules(Path dir) throws IOException {
    ObjectNode rules = (ObjectNode) Stack.yaml(Stack.file("prometheus/alert_rules.yml"));
    for (JsonNode group : rules.path("groups")) {
      if (group.has("interval")) {
        ((ObjectNode) group).put("interval", "1s");
      }
      for (JsonNode rule : group.path("rules")) {
        if (rule.has("for")) {
          ((ObjectNode) rule).put("for", scaled(rule.path("for").asText()));
        }
      }
    }
    Path file = dir.resolve("alert_rules.yml");
    Stack.YAML.writeValue(file.toFile(), rules);
    return file;
  }

  static String scaled(String duration) {
    Matcher m = DURATION.matcher(duration);
    long seconds = 0;
    while (m.find()) {
      long n = Long.parseLong(m.group(1));
      seconds +=
          switch (m.group(2)) {
            case "h" -> n * 3600;
            case "m" -> n * 60;
            default -> n;
          };
    }
    return Math.max(1, seconds / 60) + "s";
  }

  @Test
  void eachFailureReachesItsReceiverAndMutesNothingUnrelated() throws Exception {
    List<AutoCloseable> started = new ArrayList<>();
    Path dir = Files.createTempDirectory("alerting-e2e");
    try {
      AlertmanagerUnderTest alertmanager = AlertmanagerUnderTest.start();
      started.add(alertmanager);
      RedisServer redis = RedisServer.start("e2e-secret");
      started.add(redis);
      ExporterProcess exporter = ExporterProcess.redis(redis.port(), "e2e-secret");
      started.add(exporter);
      HttpServer provider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      provider.createContext(
          "/",
          exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
          });
      provider.start();
      started.add(() -> provider.stop(0));
      Monitoring app =
          Monitoring.builder("ai-companion")
              .environment("e2e")
              .metricsHost("127.0.0.1")
              .metricsPort(0)
              .jvmMetrics(false)
              .config("alertmanager.url", alertmanager.baseUri().toString())
              .config("health.refresh.interval", "200ms")
              .config("health.cache.interval", "0")
              .start();
      started.add(app);
      app.get(HealthRegistry.class)
          .register(
              "llm-provider",
              HealthChecks.http(
                  URI.create("http://127.0.0.1:" + provider.getAddress().getPort() + "/")),
              CheckOptions.nonCritical());

      Path rules = scaledRules(dir);
      String appTarget = "127.0.0.1:" + app.metricsAddress().getPort();
      String config =
          """
          global:
            scrape_interval: 1s
            scrape_timeout: 1s
            evaluation_interval: 1s
          rule_files: ["%s"]
          alerting:
            alertmanagers:
              - static_configs:
                  - targets: ["%s"]
          scrape_configs:
            - job_name: ai-companion
              static_configs:
                - targets: ["%s"]
            - job_name: redis
              static_configs:
                - targets: ["%s"]
          """
              .formatted(
                  rules, alertmanager.baseUri().getAuthority(), appTarget, exporter.target());
      PrometheusServer prometheus = PrometheusServer.start(config);
      started.add(prometheus);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  !prometheus.query("up{job=\"ai-companion\"} == 1").isEmpty()
                      && !prometheus.query("redis_up == 1").isEmpty());

      // 1. the LLM provider goes: its non-critical check fails -> HealthCheckFailing to backend
      provider.stop(0);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> delivered(alertmanager, "backend-slack", "HealthCheckFailing", "llm-provider"));

      // 2. the redis exporter goes -> RedisDown (critical) to backend-critical
      exporter.stop();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> delivered(alertmanager, "backend-critical", "RedisDown", null));

      // 3. the application dies -> ServiceDown (critical) to backend-critical
      app.close();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> delivered(alertmanager, "backend-critical", "ServiceDown", null));

      // nothing unrelated is muted: only the dead instance's own alerts may be, by ServiceDown
      List<JsonNode> alerts = alertmanager.alerts();
      assertThat(alerts).isNotEmpty();
      for (JsonNode alert : alerts) {
        JsonNode inhibitedBy = alert.path("status").path("inhibitedBy");
        String name = alert.path("labels").path("alertname").asText();
        String instance = alert.path("labels").path("instance").asText();
        if (inhibitedBy.size() > 0) {
          assertThat(instance).as("%s muted by %s", name, inhibitedBy).isEqualTo(appTarget);
          assertThat(name).isNotEqualTo("ServiceDown");
        }
      }
      assertThat(alerts)
          .filteredOn(a -> a.path("labels").path("alertname").asText().equals("RedisDown"))
          .allSatisfy(a -> assertThat(a.path("status").path("inhibitedBy").size()).isZero());
    } finally {
      for (int i = started.size() - 1; i >= 0; i--) {
        try {
          started.get(i).close();
        } catch (Exception e) {
          // the others still close
        }
      }
    }
  }

  /** Whether the webhook of {@code receiver} got {@code alertname} (with that check, if given). */
  private static boolean delivered(
      AlertmanagerUnderTest alertmanager, String receiver, String alertname, String check) {
    for (AlertmanagerUnderTest.Delivery d : alertmanager.deliveries()) {
      if (!d.integration().equals("webhook") || !d.receiver().equals(receiver)) {
        continue;
      }
      for (JsonNode alert : d.body().path("alerts")) {
        JsonNode labels = alert.path("labels");
        if (labels.path("alertname").asText().equals(alertname)
            && (check == null || labels.path("check").asText().equals(check))) {
          return true;
        }
      }
    }
    return false;
  }
}
