package com.aicompanion.monitoring.benchmarks.paired;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instrumentations against the paths they replace, on the real path (loopback HTTP), in pairs
 * of adjacent JMH forks: for each comparison, {@code --pairs} times, one fork of the anchor and one
 * of ours, the order swapped from pair to pair; the figure is the median of the pairs' ratios ours
 * / anchor, with its range (issue 14's goal: within 1.1x). On this host the speed drifts by more
 * than the differences sought between the minutes that separate two benchmarks of a plain JMH run;
 * adjacent forks see nearly the same machine.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar \
 *     com.aicompanion.monitoring.benchmarks.paired.PairedRuns benchmarks/results/paired.json
 * java -cp ... PairedRuns out.json --pairs=4 --warmup=20 --only=client,listener
 * java -cp ... PairedRuns out.json --quick      # one short pair each, to check that it runs
 * }</pre>
 *
 * <p>Each fork: {@code --warmup} (default 15) x 1 s warm-up, 5 x 1 s measured, one thread, JMH's
 * sample mode; a fork's figures are the mean and the median of its sampled times, us per operation.
 * The warm-up is long because the loopback paths are long: LangChain4j's OpenAI client took 14 s
 * here to settle (4.2 ms per call in the first second, 0.3 ms from the 15th), and with JMH's usual
 * 3 s the JIT compiler used 40% of the CPU during the measurement. Default: 6 pairs per comparison,
 * about 25 minutes in all. Spans go over OTLP/HTTP to a live receiver in the fork ({@code
 * exporter=otlp}), or are made and not exported ({@code exporter=none}).
 */
public final class PairedRuns {
  private static final Logger LOG = LoggerFactory.getLogger(PairedRuns.class);
  private static final String PACKAGE = "com.aicompanion.monitoring.benchmarks.";

  /** One comparison to run: JMH benchmark names relative to the benchmarks package. */
  record Plan(String name, String anchor, String ours, @Nullable String exporter) {
    String label(String benchmark) {
      return benchmark + (exporter == null ? "" : "[exporter=" + exporter + "]");
    }
  }

  static final List<Plan> PLANS =
      List.of(
          new Plan(
              "client",
              "http.HttpClientWrapperBenchmark.raw",
              "http.HttpClientWrapperBenchmark.wrapped",
              "otlp"),
          new Plan(
              "client-no-export",
              "http.HttpClientWrapperBenchmark.raw",
              "http.HttpClientWrapperBenchmark.wrapped",
              "none"),
          new Plan(
              "listener",
              "langchain4j.LangChain4jListenerBenchmark.openAiLoopbackWithoutListener",
              "langchain4j.LangChain4jListenerBenchmark.openAiLoopbackWithListener",
              null),
          new Plan(
              "listener-vs-no-op",
              "langchain4j.LangChain4jListenerBenchmark.openAiLoopbackWithNoOpListener",
              "langchain4j.LangChain4jListenerBenchmark.openAiLoopbackWithListener",
              null),
          new Plan(
              "filter",
              "http.HttpServerFilterBenchmark.handWritten",
              "http.HttpServerFilterBenchmark.filter",
              "otlp"),
          new Plan(
              "filter-no-socket",
              "http.HttpServerFilterBenchmark.inMemoryHandWritten",
              "http.HttpServerFilterBenchmark.inMemoryFilter",
              "otlp"));

  static final double GOAL = 1.1;

  private PairedRuns() {}

  /**
   * The command line: the output file, {@code --pairs=N}, {@code --warmup=SECONDS}, {@code
   * --only=a,b} and {@code --quick}, in any order; a repeated option keeps its last value; {@code
   * --quick} runs one pair of 200 ms forks whatever {@code --pairs} and {@code --warmup} say.
   */
  record Options(Path output, int pairs, int warmupSeconds, Set<String> only, boolean quick) {
    static Options parse(String... args) {
      Path output = null;
      int pairs = 6;
      int warmup = 15;
      Set<String> only = Set.of();
      boolean quick = false;
      Set<String> names = PLANS.stream().map(Plan::name).collect(Collectors.toSet());
      for (String arg : args) {
        if (arg.equals("--quick")) {
          quick = true;
        } else if (arg.startsWith("--pairs=")) {
          pairs = atLeastOne(arg, "--pairs", "a whole number of at least 1");
        } else if (arg.startsWith("--warmup=")) {
          warmup = atLeastOne(arg, "--warmup", "a whole number of seconds, at least 1");
        } else if (arg.startsWith("--only=")) {
          // a name given twice is the same comparison; empty names (",client", "client,") are none
          only =
              Arrays.stream(arg.substring("--only=".length()).split(","))
                  .map(String::strip)
                  .filter(n -> !n.isEmpty())
                  .collect(Collectors.toSet());
          if (only.isEmpty()) {
            throw new IllegalArgumentException(
                "--only takes one or more comparisons among " + names + ", was empty");
          }
          if (!names.containsAll(only)) {
            throw new IllegalArgumentException(
                "--only takes comparisons among " + names + ", was " + only);
          }
        } else if (arg.startsWith("-")) {
          throw new IllegalArgumentException(
              "unknown option " + arg + ": use --pairs=N, --warmup=SECONDS, --only=a,b or --quick");
        } else if (output == null) {
          output = Path.of(arg);
        } else {
          throw new IllegalArgumentException("one output file only, was " + output + " and " + arg);
        }
      }
      if (output == null) {
        throw new IllegalArgumentException(
            "give the output file: PairedRuns benchmarks/results/paired.json [--pairs=N]"
                + " [--warmup=SECONDS] [--only=a,b] [--quick]");
      }
      return new Options(output, quick ? 1 : pairs, warmup, only, quick);
    }

    /** The value of {@code option=value} in {@code arg}, a whole number of at least 1. */
    private static int atLeastOne(String arg, String option, String rule) {
      String value = arg.substring(option.length() + 1);
      int n;
      try {
        n = Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            option + " must be " + rule + " and at most " + Integer.MAX_VALUE + ", was " + value,
            e);
      }
      if (n < 1) {
        throw new IllegalArgumentException(option + " must be " + rule + ", was " + value);
      }
      return n;
    }
  }

  public static void main(String[] args) throws IOException, RunnerException {
    Options options = Options.parse(args);
    Instant started = Instant.now();
    List<Map<String, Object>> comparisons = new ArrayList<>();
    for (Plan plan : PLANS) {
      if (!options.only().isEmpty() && !options.only().contains(plan.name())) {
        continue;
      }
      PairedComparison mean =
          new PairedComparison(
              plan.name(), plan.label(plan.anchor()), plan.label(plan.ours()), GOAL);
      PairedComparison median =
          new PairedComparison(
              plan.name(), plan.label(plan.anchor()), plan.label(plan.ours()), GOAL);
      for (int pair = 0; pair < options.pairs(); pair++) {
        // swap the order every other pair, so that a drift within a pair favours neither side
        boolean anchorFirst = pair % 2 == 0;
        Score first = score(plan, anchorFirst ? plan.anchor() : plan.ours(), options);
        Score second = score(plan, anchorFirst ? plan.ours() : plan.anchor(), options);
        Score anchor = anchorFirst ? first : second;
        Score ours = anchorFirst ? second : first;
        mean.add(anchor.mean(), ours.mean());
        median.add(anchor.median(), ours.median());
        LOG.info(
            "{} pair {}: mean {} / {} us ({}), median {} / {} us ({})",
            plan.name(),
            pair + 1,
            anchor.mean(),
            ours.mean(),
            mean.ratios()[pair],
            anchor.median(),
            ours.median(),
            median.ratios()[pair]);
      }
      LOG.info(
          "{}: median of the ratios of means {}, of medians {}",
          plan.name(),
          mean.medianRatio(),
          median.medianRatio());
      Map<String, Object> comparison = mean.toJson();
      comparison.put("of_medians", median.toJson());
      comparisons.add(comparison);
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("started", started.truncatedTo(ChronoUnit.SECONDS).toString());
    json.put("finished", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    json.put("pairs", options.pairs());
    json.put(
        "fork",
        options.quick()
            ? "1 x 200 ms warm-up, 1 x 200 ms measured, one thread"
            : options.warmupSeconds() + " x 1 s warm-up, 5 x 1 s measured, one thread");
    json.put("mode", "JMH sample time: each fork's mean (the figures) and median (of_medians)");
    json.put("comparisons", comparisons);
    Path parent = options.output().toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(options.output().toFile(), json);
  }

  /** One fork's figures, us per operation: the mean and the median of JMH's sampled times. */
  record Score(double mean, double median) {}

  /** One fork of {@code benchmark}, in JMH's sample mode. */
  private static Score score(Plan plan, String benchmark, Options options) throws RunnerException {
    boolean quick = options.quick();
    ChainedOptionsBuilder builder =
        new OptionsBuilder()
            .include("^" + Pattern.quote(PACKAGE + benchmark) + "$")
            .forks(1)
            .threads(1)
            .mode(Mode.SampleTime)
            .timeUnit(TimeUnit.MICROSECONDS)
            .warmupIterations(quick ? 1 : options.warmupSeconds())
            .warmupTime(quick ? TimeValue.milliseconds(200) : TimeValue.seconds(1))
            .measurementIterations(quick ? 1 : 5)
            .measurementTime(quick ? TimeValue.milliseconds(200) : TimeValue.seconds(1))
            .shouldFailOnError(true)
            .verbosity(VerboseMode.SILENT);
    if (plan.exporter() != null) {
      builder.param("exporter", plan.exporter());
    }
    Collection<RunResult> results = new Runner(builder.build()).run();
    if (results.size() != 1) {
      throw new IllegalStateException(
          "expected one result for " + benchmark + ", JMH gave " + results.size());
    }
    Result<?> result = results.iterator().next().getPrimaryResult();
    return new Score(result.getScore(), result.getStatistics().getPercentile(50));
  }
}
