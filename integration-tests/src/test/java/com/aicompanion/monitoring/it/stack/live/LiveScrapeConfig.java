package com.aicompanion.monitoring.it.stack.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns the stack's {@code prometheus.yml} into one for the test's Prometheus: the same jobs
 * (names, metrics paths, target labels, relabelling), each target replaced by the loopback address
 * of the real process that plays its part (chosen by the stack target's port: 8000 the app, 9100
 * node, 9121 Redis, 9187 PostgreSQL exporter, 9090 Prometheus, 9093 Alertmanager), 1 s scrape and
 * evaluation intervals, the stack's rule files by absolute path, and the real Alertmanager. Targets
 * that nothing here can play (cAdvisor, Grafana, Jaeger, ...) are dropped and reported.
 */
final class LiveScrapeConfig {
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

  /** The rewritten configuration, and the stack's targets that are not scraped here. */
  record Result(String yaml, List<String> jobs, List<String> notScraped) {}

  private LiveScrapeConfig() {}

  /**
   * @param stackConfig {@code stack/prometheus/prometheus.yml}
   * @param addresses stack port (8000, 9100, ...) to the {@code 127.0.0.1:<port>} that replaces it
   * @param alertmanager {@code 127.0.0.1:<port>} of the real Alertmanager
   */
  static Result rewrite(Path stackConfig, Map<Integer, String> addresses, String alertmanager) {
    JsonNode stack = read(stackConfig);
    ObjectNode out = YAML.createObjectNode();
    ObjectNode global = out.putObject("global");
    global.put("scrape_interval", "1s");
    global.put("scrape_timeout", "1s");
    global.put("evaluation_interval", "1s");
    if (stack.path("global").has("external_labels")) {
      global.set("external_labels", stack.path("global").get("external_labels"));
    }
    ArrayNode ruleFiles = out.putArray("rule_files");
    Path ruleDir = stackConfig.getParent();
    for (JsonNode rf : stack.path("rule_files")) {
      String fileName = Path.of(rf.asText()).getFileName().toString();
      ruleFiles.add(ruleDir.resolve(fileName).toAbsolutePath().toString());
    }
    String alertRules = ruleDir.resolve("alert_rules.yml").toAbsolutePath().toString();
    boolean listed = false;
    for (JsonNode rf : ruleFiles) {
      listed |= rf.asText().equals(alertRules);
    }
    if (!listed) {
      ruleFiles.add(alertRules);
    }
    ObjectNode am = out.putObject("alerting").putArray("alertmanagers").addObject();
    am.putArray("static_configs").addObject().putArray("targets").add(alertmanager);

    List<String> jobs = new ArrayList<>();
    List<String> notScraped = new ArrayList<>();
    out.set(
        "scrape_configs",
        rewriteJobs(stack, target -> addresses.get(port(target)), jobs, notScraped));
    try {
      return new Result(YAML.writeValueAsString(out), jobs, notScraped);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A Prometheus configuration file, parsed. */
  static JsonNode read(Path config) {
    try {
      return YAML.readTree(config.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + config, e);
    }
  }

  /** {@code config} as YAML text. */
  static String write(JsonNode config) {
    try {
      return YAML.writeValueAsString(config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The {@code scrape_configs} of {@code config} with each static target replaced by {@code
   * targetFor} (null: not scraped here, reported in {@code notScraped}), the jobs' own intervals,
   * schemes and TLS settings and their service discovery removed, jobs left without a target
   * dropped; the names of the jobs kept are added to {@code jobs}.
   */
  static ArrayNode rewriteJobs(
      JsonNode config,
      Function<String, String> targetFor,
      List<String> jobs,
      List<String> notScraped) {
    ArrayNode scrapeConfigs = YAML.createArrayNode();
    for (JsonNode job : config.path("scrape_configs")) {
      ObjectNode copy = job.deepCopy();
      String name = copy.path("job_name").asText();
      for (String key : List.of("scrape_interval", "scrape_timeout", "scheme", "tls_config")) {
        copy.remove(key);
      }
      ArrayNode statics = YAML.createArrayNode();
      for (JsonNode sc : job.path("static_configs")) {
        ObjectNode scCopy = sc.deepCopy();
        ArrayNode targets = scCopy.putArray("targets");
        for (JsonNode t : sc.path("targets")) {
          String replacement = targetFor.apply(t.asText());
          if (replacement == null) {
            notScraped.add("job " + name + " target " + t.asText());
          } else {
            targets.add(replacement);
          }
        }
        if (!targets.isEmpty()) {
          statics.add(scCopy);
        }
      }
      List<String> sdKeys = new ArrayList<>();
      copy.fieldNames().forEachRemaining(sdKeys::add);
      for (String f : sdKeys) {
        if (f.endsWith("_sd_configs")) {
          copy.remove(f);
          notScraped.add("job " + name + " " + f + " (service discovery is not reproduced here)");
        }
      }
      if (statics.isEmpty()) {
        continue;
      }
      copy.set("static_configs", statics);
      scrapeConfigs.add(copy);
      jobs.add(name);
    }
    return scrapeConfigs;
  }

  /** The port of {@code host:port}, -1 when it has none. */
  static int port(String target) {
    int colon = target.lastIndexOf(':');
    try {
      return colon < 0 ? -1 : Integer.parseInt(target.substring(colon + 1).trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
