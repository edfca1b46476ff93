package com.aicompanion.monitoring.it.stack.live;

import com.aicompanion.monitoring.testsupport.PrometheusServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Substitutes Grafana's template variables in a query as Grafana would when the dashboard opens:
 * built-ins ({@code $__rate_interval} = 1m, {@code $__interval} = 15s, {@code $__range} = 5m, ...)
 * and the dashboard's variables, whose values come from the real Prometheus ({@code
 * label_values(...)} through {@code /api/v1/label/<name>/values}). {@link #asSaved} keeps each
 * variable's saved current value as Grafana does when the dashboard opens ("All" becomes the
 * variable's {@code allValue} or the regex of all values); {@link #firstValues} picks the first
 * value Prometheus offers for each, as a user choosing one service or instance would. A variable
 * over cAdvisor metrics ({@code container_*}) has no values here and keeps its "All" value.
 */
final class GrafanaVariables {
  private static final Map<String, String> BUILT_INS = new LinkedHashMap<>();

  static {
    BUILT_INS.put("__rate_interval_ms", "60000");
    BUILT_INS.put("__rate_interval", "1m");
    BUILT_INS.put("__interval_ms", "15000");
    BUILT_INS.put("__interval", "15s");
    BUILT_INS.put("__range_ms", "300000");
    BUILT_INS.put("__range_s", "300");
    BUILT_INS.put("__range", "5m");
  }

  private static final Pattern LABEL_VALUES =
      Pattern.compile("^\\s*label_values\\((?:(.*),)?\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\)\\s*$");

  private final Map<String, String> values = new LinkedHashMap<>();
  private final List<String> problems = new ArrayList<>();

  private final boolean firstValues;

  private GrafanaVariables(boolean firstValues) {
    this.firstValues = firstValues;
  }

  /** The variables as saved in the dashboard, in their order (later ones may use earlier ones). */
  static GrafanaVariables asSaved(List<JsonNode> variables, PrometheusServer prometheus) {
    GrafanaVariables resolved = new GrafanaVariables(false);
    variables.forEach(v -> resolved.resolveOne(v, prometheus));
    return resolved;
  }

  /** Each variable set to the first value Prometheus offers for it. */
  static GrafanaVariables firstValues(List<JsonNode> variables, PrometheusServer prometheus) {
    GrafanaVariables resolved = new GrafanaVariables(true);
    variables.forEach(v -> resolved.resolveOne(v, prometheus));
    return resolved;
  }

  /** Variables that could not be given a value, with the reason. */
  List<String> problems() {
    return problems;
  }

  Map<String, String> values() {
    return values;
  }

  /** {@code expr} with {@code $name}, {@code ${name}}, {@code ${name:fmt}} and {@code [[name]]}. */
  String substitute(String expr) {
    Map<String, String> all = new LinkedHashMap<>(BUILT_INS);
    all.putAll(values);
    List<String> names = new ArrayList<>(all.keySet());
    names.sort(Comparator.comparingInt(String::length).reversed());
    String out = expr;
    for (String name : names) {
      String value = all.get(name);
      out =
          out.replaceAll(
              "\\$\\{" + Pattern.quote(name) + "(?::[a-z]+)?\\}", Matcher.quoteReplacement(value));
      out = out.replace("[[" + name + "]]", value);
      out = out.replaceAll("\\$" + Pattern.quote(name) + "\\b", Matcher.quoteReplacement(value));
    }
    return out;
  }

  private void resolveOne(JsonNode variable, PrometheusServer prometheus) {
    String name = variable.path("name").asText();
    String type = variable.path("type").asText("query");
    List<String> options = new ArrayList<>();
    boolean cadvisor = false;
    switch (type) {
      case "query" -> {
        JsonNode q = variable.path("query");
        String query = substitute(q.isObject() ? q.path("query").asText() : q.asText());
        if (query.isBlank()) {
          query = substitute(variable.path("definition").asText());
        }
        cadvisor = QueryChecks.usesCadvisor(query);
        options.addAll(labelValues(name, query, prometheus));
        String regex = variable.path("regex").asText("");
        if (!regex.isBlank()) {
          options.removeIf(v -> !matchesGrafanaRegex(regex, v));
        }
      }
      case "custom", "interval" -> {
        for (String part : variable.path("query").asText("").split(",")) {
          String v = part.contains(" : ") ? part.split(" : ", 2)[1] : part;
          if (!v.isBlank()) {
            options.add(v.trim());
          }
        }
      }
      case "constant", "textbox" -> options.add(variable.path("query").asText(""));
      default -> {
        return; // datasource and adhoc variables do not appear in expressions
      }
    }
    JsonNode current = variable.path("current").path("value");
    String currentValue = current.isArray() && current.size() > 0 ? current.get(0).asText() : null;
    if (current.isTextual()) {
      currentValue = current.asText();
    }
    boolean all =
        "$__all".equals(currentValue)
            || "All".equals(variable.path("current").path("text").asText());
    if (all && variable.path("includeAll").asBoolean(false)) {
      String allValue = variable.path("allValue").asText("");
      values.put(name, !allValue.isEmpty() ? allValue : regexOf(options));
    } else if (currentValue != null && options.contains(currentValue)) {
      values.put(name, currentValue);
    } else if (!options.isEmpty()) {
      values.put(name, options.get(0));
    } else {
      problems.add("variable $" + name + " (" + type + ") has no value: " + variable.path("query"));
      values.put(name, "no-value-for-" + name);
    }
  }

  private List<String> labelValues(String name, String query, PrometheusServer prometheus) {
    Matcher m = LABEL_VALUES.matcher(query);
    if (!m.matches()) {
      problems.add("variable $" + name + ": query not understood by this test: " + query);
      return List.of();
    }
    String path = "/api/v1/label/" + m.group(2) + "/values";
    if (m.group(1) != null && !m.group(1).isBlank()) {
      path += "?match[]=" + URLEncoder.encode(m.group(1).trim(), StandardCharsets.UTF_8);
    }
    List<String> out = new ArrayList<>();
    Object data = prometheus.get(path).get("data");
    if (data instanceof List<?> list) {
      list.forEach(v -> out.add(String.valueOf(v)));
    }
    return out;
  }

  private static boolean matchesGrafanaRegex(String regex, String value) {
    String body =
        regex.startsWith("/") && regex.lastIndexOf('/') > 0
            ? regex.substring(1, regex.lastIndexOf('/'))
            : regex;
    return Pattern.compile(body).matcher(value).find();
  }

  private static String regexOf(List<String> options) {
    List<String> quoted = new ArrayList<>();
    for (String o : options) {
      quoted.add(o.replaceAll("([.*+?^${}()|\\[\\]\\\\])", "\\\\\\\\$1"));
    }
    return "(" + String.join("|", quoted) + ")";
  }
}
