package com.aicompanion.monitoring.it.stack.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads the Prometheus queries of Grafana dashboard JSON files: every target {@code expr} of every
 * panel, including panels nested in rows ({@code panels[].panels[]}) and the old {@code
 * rows[].panels[]} layout, and the dashboard's template variables.
 */
final class GrafanaDashboards {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One panel target's query. */
  record PanelQuery(String file, String panel, String refId, String expr, boolean exemplar) {
    String label() {
      return file + " / panel '" + panel + "' / " + refId;
    }
  }

  /** One dashboard: its file name, variables ({@code templating.list}) and queries. */
  record Dashboard(String file, List<JsonNode> variables, List<PanelQuery> queries) {}

  private GrafanaDashboards() {}

  /** Every {@code *.json} under {@code dir}, sorted by name. */
  static List<Dashboard> read(Path dir) {
    List<Dashboard> dashboards = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        dashboards.add(readOne(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read dashboards in " + dir, e);
    }
    return dashboards;
  }

  static Dashboard readOne(Path file) {
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new AssertionError(file + " is not valid JSON: " + e.getMessage(), e);
    }
    JsonNode dashboard = root.has("dashboard") ? root.get("dashboard") : root;
    List<JsonNode> variables = new ArrayList<>();
    dashboard.path("templating").path("list").forEach(variables::add);
    List<PanelQuery> queries = new ArrayList<>();
    String name = file.getFileName().toString();
    collect(name, dashboard.path("panels"), queries);
    for (JsonNode row : dashboard.path("rows")) {
      collect(name, row.path("panels"), queries);
    }
    return new Dashboard(name, variables, queries);
  }

  private static void collect(String file, JsonNode panels, List<PanelQuery> out) {
    for (JsonNode panel : panels) {
      String title = panel.path("title").asText("(untitled, id " + panel.path("id") + ")");
      int index = 0;
      for (JsonNode target : panel.path("targets")) {
        index++;
        String expr = target.path("expr").asText("");
        if (!expr.isBlank()) {
          String refId = target.path("refId").asText("target " + index);
          boolean exemplar = target.path("exemplar").asBoolean(false);
          out.add(new PanelQuery(file, title, refId, expr, exemplar));
        }
      }
      collect(file, panel.path("panels"), out);
    }
  }
}
