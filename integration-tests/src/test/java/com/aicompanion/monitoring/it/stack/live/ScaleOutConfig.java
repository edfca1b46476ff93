package com.aicompanion.monitoring.it.stack.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns the committed remote_write topology ({@code stack/scale-out/prometheus/agent.yml} and
 * {@code central.yml}) into configurations for the test's two Prometheus processes, changing only
 * what a loopback test must: every target replaced by the process that plays it (as {@link
 * LiveScrapeConfig} does for the one-machine file), the remote_write URL's host and port by the
 * central Prometheus's, the central's rule files by absolute path (resolved from the committed
 * file's directory, as Prometheus does), 1 s scrape and evaluation intervals and a 1 s remote_write
 * batch deadline. Everything else (external labels with their environment references, the
 * remote_write settings, job names and labels) stays as committed.
 */
final class ScaleOutConfig {
  /** A rewritten configuration, the jobs it scrapes and the committed targets it does not. */
  record Result(String yaml, List<String> jobs, List<String> notScraped, List<Path> ruleFiles) {}

  private ScaleOutConfig() {}

  /**
   * @param agentConfig {@code stack/scale-out/prometheus/agent.yml}
   * @param targets stack port (8000, 9100, ...) to the {@code 127.0.0.1:<port>} that replaces it
   * @param central {@code 127.0.0.1:<port>} of the central Prometheus (remote_write receiver)
   */
  static Result agent(Path agentConfig, Map<Integer, String> targets, String central) {
    JsonNode committed = LiveScrapeConfig.read(agentConfig);
    ObjectNode out = committed.deepCopy();
    fastIntervals(out);
    ArrayNode writes = (ArrayNode) out.path("remote_write");
    if (writes.isEmpty()) {
      throw new AssertionError(agentConfig + " has no remote_write: an agent would send nothing");
    }
    for (JsonNode w : writes) {
      URI url = URI.create(w.path("url").asText());
      ((ObjectNode) w).put("url", "http://" + central + url.getRawPath());
      ObjectNode queue =
          w.has("queue_config")
              ? (ObjectNode) w.get("queue_config")
              : ((ObjectNode) w).putObject("queue_config");
      queue.put("batch_send_deadline", "1s");
    }
    List<String> jobs = new ArrayList<>();
    List<String> notScraped = new ArrayList<>();
    out.set(
        "scrape_configs",
        LiveScrapeConfig.rewriteJobs(
            committed, target -> targets.get(LiveScrapeConfig.port(target)), jobs, notScraped));
    return new Result(LiveScrapeConfig.write(out), jobs, notScraped, List.of());
  }

  /**
   * @param centralConfig {@code stack/scale-out/prometheus/central.yml}
   * @param self {@code 127.0.0.1:<port>} of the central Prometheus (plays {@code localhost:9090})
   * @param agent {@code 127.0.0.1:<port>} of the agent, which plays the first agent target of job
   *     {@code prometheus} (the other groups' agents are not started); null while it has not
   *     started
   * @param alertmanager {@code 127.0.0.1:<port>} of the real Alertmanager
   */
  static Result central(Path centralConfig, String self, String agent, String alertmanager) {
    JsonNode committed = LiveScrapeConfig.read(centralConfig);
    ObjectNode out = committed.deepCopy();
    fastIntervals(out);
    ArrayNode ruleFiles = out.putArray("rule_files");
    List<Path> resolved = new ArrayList<>();
    for (JsonNode rf : committed.path("rule_files")) {
      Path file = centralConfig.toAbsolutePath().getParent().resolve(rf.asText()).normalize();
      resolved.add(file);
      ruleFiles.add(file.toString());
    }
    for (JsonNode am : out.path("alerting").path("alertmanagers")) {
      for (JsonNode sc : am.path("static_configs")) {
        ArrayNode t = ((ObjectNode) sc).putArray("targets");
        t.add(alertmanager);
      }
    }
    boolean[] agentTaken = {false};
    List<String> jobs = new ArrayList<>();
    List<String> notScraped = new ArrayList<>();
    out.set(
        "scrape_configs",
        LiveScrapeConfig.rewriteJobs(
            committed,
            target -> {
              int port = LiveScrapeConfig.port(target);
              if (port == 9093) {
                return alertmanager;
              }
              if (port != 9090) {
                return null;
              }
              if (target.startsWith("localhost:") || target.startsWith("127.0.0.1:")) {
                return self;
              }
              if (!agentTaken[0]) {
                agentTaken[0] = true;
                return agent;
              }
              return null;
            },
            jobs,
            notScraped));
    return new Result(LiveScrapeConfig.write(out), jobs, notScraped, resolved);
  }

  private static void fastIntervals(ObjectNode config) {
    ObjectNode global =
        config.has("global") ? (ObjectNode) config.get("global") : config.putObject("global");
    global.put("scrape_interval", "1s");
    global.put("scrape_timeout", "1s");
    if (global.has("evaluation_interval") || config.has("rule_files")) {
      global.put("evaluation_interval", "1s");
    }
  }
}
