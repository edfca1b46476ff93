package com.aicompanion.monitoring.benchmarks.core;

import com.aicompanion.monitoring.LlmPrices;
import com.aicompanion.monitoring.Monitor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One LLM call recorded: {@code monitor.llm().start(provider, model, operation).finish(in, out)}
 * against the same work done with held Micrometer meters (duration timer with the GenAI buckets,
 * two token summaries, a cost counter, and the two clock reads a caller needs).
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar LlmBenchmark -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LlmBenchmark {
  private PrometheusMeterRegistry registry;
  private Monitor monitor;
  private RawLlmMeters raw;

  @Setup
  public void setUp() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    monitor = Monitor.create(registry, 1000, LlmPrices.empty().with("openai", "gpt-4o", 2.5, 10.0));
    raw = new RawLlmMeters(registry);
    monitor.llm().start("openai", "gpt-4o", "chat").finish(120, 480);
  }

  @TearDown
  public void tearDown() {
    registry.close();
  }

  /** Ours: start, finish; meters looked up by provider/model/operation. */
  @Benchmark
  public void facadeLlmCall() {
    monitor.llm().start("openai", "gpt-4o", "chat").finish(120, 480);
  }

  /** Micrometer, held meters: the same four recordings. */
  @Benchmark
  public void micrometerHeldLlmMeters() {
    raw.record(System.nanoTime(), 120, 480);
  }

  /** The meters a Micrometer user holds for one provider/model/operation. */
  public static final class RawLlmMeters {
    private static final double[] DURATION_BUCKETS = {
      0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92
    };
    private static final double[] TOKEN_BUCKETS = {
      1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864
    };
    private final Timer duration;
    private final DistributionSummary input;
    private final DistributionSummary output;
    private final Counter cost;

    public RawLlmMeters(MeterRegistry registry) {
      duration =
          Timer.builder("bench.gen_ai.client.operation.duration")
              .tags("gen_ai.operation.name", "chat", "gen_ai.provider.name", "openai")
              .tag("gen_ai.request.model", "gpt-4o")
              .serviceLevelObjectives(
                  Arrays.stream(DURATION_BUCKETS)
                      .mapToObj(s -> Duration.ofNanos((long) (s * 1e9)))
                      .toArray(Duration[]::new))
              .register(registry);
      input = tokens(registry, "input");
      output = tokens(registry, "output");
      cost =
          Counter.builder("bench.llm.cost.usd")
              .tags("gen_ai.provider.name", "openai", "gen_ai.request.model", "gpt-4o")
              .register(registry);
    }

    private static DistributionSummary tokens(MeterRegistry registry, String type) {
      return DistributionSummary.builder("bench.gen_ai.client.token.usage")
          .tags("gen_ai.operation.name", "chat", "gen_ai.provider.name", "openai")
          .tags("gen_ai.request.model", "gpt-4o", "gen_ai.token.type", type)
          .serviceLevelObjectives(TOKEN_BUCKETS)
          .register(registry);
    }

    /** Records one call that started at {@code startNanos}. */
    public void record(long startNanos, long inputTokens, long outputTokens) {
      duration.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
      input.record(inputTokens);
      output.record(outputTokens);
      cost.increment((inputTokens * 2.5 + outputTokens * 10.0) / 1_000_000);
    }
  }
}
