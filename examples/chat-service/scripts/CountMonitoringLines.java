import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Counts the lines of the chat example's src/main/java that exist for monitoring, in the working
 * tree or at a git revision, so that "before" and "after" are counted by the same rule.
 *
 * <pre>{@code
 * java examples/chat-service/scripts/CountMonitoringLines.java            # working tree
 * java examples/chat-service/scripts/CountMonitoringLines.java bcd4288    # a revision
 * java examples/chat-service/scripts/CountMonitoringLines.java bcd4288 --list
 * }</pre>
 *
 * <p>The rule: blank lines, comments, Javadoc, {@code package} and {@code import} lines are not
 * code and never count (imports excluded). The code is cut into statements (a statement ends with
 * a line ending in {@code ;}, <code>{</code> or <code>}</code>). A line is monitoring when it names
 * the library or something that exists only to feed monitoring: the {@link #MONITORING} pattern
 * below (the monitor and its meters, spans, MDC, the LLM call, health checks, alerts and the
 * budget guard, the instrumentation modules, the price table, the trace id). A statement whose
 * first line is monitoring counts with all its lines (a builder chain, a lambda handed to {@code
 * Spans.call}); in any other statement only the monitoring lines count (an argument {@code
 * monitor} passed to a constructor, a {@code trace_id} field in a response). Run from the
 * repository root; {@code --list} prints every counted line.
 */
final class CountMonitoringLines {
  static final Pattern MONITORING =
      Pattern.compile(
          String.join(
              "|",
              "\\bmonitor\\b|\\bMonitor\\b|\\bMonitoring\\b|\\bmonitoring\\b|\\bmetricsPort\\b",
              "\\bSpans\\.|\\bMDC\\b|\\bLlmCall\\b|\\bcall\\.|\\.llm\\(\\)",
              "\\bHealthChecks\\b|\\bHealthRegistry\\b|\\bhealth\\.|\\bCheckOptions\\b|\\bCheckResult\\b",
              "\\bAlertNotifier\\b|\\balerts\\b|\\bAlert\\b|\\bSeverity\\b|\\bBudgetGuard\\b|\\bbudget\\b",
              "\\bMeterRegistry\\b|\\bregistry\\b|\\bTimer\\b|\\bCounter\\b|\\bGauge\\b",
              "\\bCacheMetrics\\b|\\bCaffeineCacheMetrics\\b|\\bmetrics\\b|recordStats|setMetricRegistry",
              "\\bfromCache\\b|\\bfromLlm\\b|\\bloadHistory\\b|\\bsaveExchange\\b|recordCallable",
              "Instrumentation\\b|\\bLlmPrices\\b|\\bprices\\b|traceId|trace_id|getFilters",
              "\\bscope\\b|nanoTime"));

  /**
   * Counted lines that test whether monitoring is on ({@code CHAT_MONITORING=off} passes null): an
   * application without such a switch would not have them.
   */
  static final Pattern SWITCH =
      Pattern.compile("\\b(monitor|monitoring|metrics|registry|budget) [=!]= null|\\bmonitored\\b");

  private static final String ROOT = "examples/chat-service/src/main/java";

  public static void main(String[] args) throws Exception {
    String rev = null;
    boolean list = false;
    for (String arg : args) {
      if (arg.equals("--list")) {
        list = true;
      } else {
        rev = arg;
      }
    }
    int total = 0;
    int switches = 0;
    int code = 0;
    Map<String, Integer> perFile = new TreeMap<>();
    for (String file : files(rev)) {
      List<String> statement = new ArrayList<>();
      boolean monitoring = false; // the statement's first line is monitoring
      boolean inComment = false;
      for (String raw : read(rev, file)) {
        String line = raw.strip();
        if (inComment) {
          inComment = !line.contains("*/");
          continue;
        }
        if (line.startsWith("/*")) {
          inComment = !line.contains("*/");
          continue;
        }
        if (line.isEmpty()
            || line.startsWith("//")
            || line.startsWith("import ")
            || line.startsWith("package ")) {
          continue;
        }
        code++;
        line = withoutTrailingComment(line);
        boolean match = MONITORING.matcher(line).find();
        if (statement.isEmpty()) {
          monitoring = match;
        }
        statement.add(raw);
        if (monitoring || match) {
          total++;
          perFile.merge(file.substring(ROOT.length() + 1), 1, Integer::sum);
          if (SWITCH.matcher(line).find()) {
            switches++;
          }
          if (list) {
            System.out.println(file.substring(ROOT.length() + 1) + ": " + raw);
          }
        }
        if (line.endsWith(";") || line.endsWith("{") || line.endsWith("}")) {
          statement.clear();
        }
      }
    }
    perFile.forEach((file, n) -> System.out.printf("%5d %s%n", n, file));
    System.out.println(
        (rev == null ? "working tree" : rev)
            + ": "
            + total
            + " monitoring lines ("
            + switches
            + " of them the CHAT_MONITORING=off switch) of "
            + code
            + " lines of code in "
            + ROOT);
  }

  private static String withoutTrailingComment(String line) {
    int i = line.indexOf(" // ");
    return i < 0 ? line : line.substring(0, i);
  }

  private static List<String> files(String rev) throws IOException, InterruptedException {
    if (rev == null) {
      try (Stream<Path> walk = Files.walk(Path.of(ROOT))) {
        return walk.filter(p -> p.toString().endsWith(".java")).map(Path::toString).sorted().toList();
      }
    }
    return git("ls-tree", "-r", "--name-only", rev, ROOT).stream()
        .filter(f -> f.endsWith(".java"))
        .sorted()
        .toList();
  }

  private static List<String> read(String rev, String file)
      throws IOException, InterruptedException {
    return rev == null ? Files.readAllLines(Path.of(file)) : git("show", rev + ":" + file);
  }

  private static List<String> git(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> out =
        new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
    }
    return out;
  }
}
