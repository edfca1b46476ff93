package com.aicompanion.monitoring;

import com.aicompanion.monitoring.internal.RecordingErrors;
import com.aicompanion.monitoring.internal.RecordingErrors.Reason;
import com.aicompanion.monitoring.internal.Series;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * LLM call metrics after the OpenTelemetry GenAI semantic conventions, with their bucket
 * boundaries: {@code gen_ai_client_operation_duration_seconds}, {@code gen_ai_client_token_usage},
 * {@code gen_ai_client_time_to_first_chunk_seconds}; plus {@code llm_requests_in_flight} and {@code
 * llm_cost_usd_total} from the {@link LlmPrices} table.
 *
 * <pre>{@code
 * // the closure form: an exception fails the call (error_type = its class name) and is rethrown
 * Answer answer = monitor.llm().call("openai", "gpt-4o", "chat", call -> {
 *   Answer a = client.chat(prompt, chunk -> call.firstChunk());
 *   call.finish(a.inputTokens(), a.outputTokens());
 *   return a;
 * });
 *
 * // or start and end it yourself; close() fails a call left open
 * try (LlmCall call = monitor.llm().start("openai", "gpt-4o", "chat")) {
 *   stream.onFirstChunk(call::firstChunk);
 *   call.finish(usage.inputTokens(), usage.outputTokens());
 * } catch (TimeoutException e) {
 *   ...                               // fail("timeout") inside the try to name the error
 * }
 * }</pre>
 *
 * <p>Labels: {@code gen_ai_operation_name}, {@code gen_ai_provider_name}, {@code
 * gen_ai_request_model}; {@code error_type} is empty (which Prometheus treats as absent) except on
 * failures; token usage adds {@code gen_ai_token_type} = input or output.
 */
public final class LlmMetrics {
  /** Seconds; the boundaries the GenAI conventions advise for gen_ai.client.operation.duration. */
  static final double[] DURATION_BUCKETS = {
    0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92
  };

  /** Tokens; the boundaries advised for gen_ai.client.token.usage. */
  static final double[] TOKEN_BUCKETS = {
    1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864
  };

  /** Seconds; the boundaries advised for time to first token/chunk. */
  static final double[] FIRST_CHUNK_BUCKETS = {
    0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0
  };

  private record CallKey(String provider, String model, String operation) {}

  private record ModelKey(String provider, String model) {}

  private record FailureKey(CallKey call, String errorType) {}

  /** The meters of one provider/model/operation. */
  static final class CallMeters {
    final Timer duration;
    final Timer firstChunk;
    final DistributionSummary inputTokens;
    final DistributionSummary outputTokens;
    final ModelMeters model;

    CallMeters(
        Timer duration,
        Timer firstChunk,
        DistributionSummary in,
        DistributionSummary out,
        ModelMeters model) {
      this.duration = duration;
      this.firstChunk = firstChunk;
      this.inputTokens = in;
      this.outputTokens = out;
      this.model = model;
    }
  }

  /** The meters of one provider/model. */
  static final class ModelMeters {
    final Counter cost;
    final LlmPrices.Price price;
    final AtomicLong inFlight = new AtomicLong();

    ModelMeters(Counter cost, LlmPrices.Price price) {
      this.cost = cost;
      this.price = price;
    }
  }

  private final MeterRegistry registry;
  private final LlmPrices prices;
  private final RecordingErrors errors;
  private final Series<CallKey, CallMeters> calls;
  private final Series<ModelKey, ModelMeters> models;
  private final Series<FailureKey, Timer> failures;
  private volatile LlmCallObserver observer = LlmCallObserver.NONE;

  LlmMetrics(
      MeterRegistry registry, int cardinalityLimit, LlmPrices prices, RecordingErrors errors) {
    this.registry = registry;
    this.prices = prices;
    this.errors = errors;
    this.calls = new Series<>("gen_ai_client_operation_duration", cardinalityLimit, registry);
    this.models = new Series<>("llm_cost_usd", cardinalityLimit, registry);
    this.failures =
        new Series<>("gen_ai_client_operation_duration_errors", cardinalityLimit, registry);
  }

  /**
   * Starts timing one call and counts it in flight until {@link LlmCall#finish}, {@link
   * LlmCall#fail} or {@link LlmCall#close}. Null arguments are recorded as {@code unknown}. Prefer
   * try-with-resources or {@link #call}, so that an exception cannot leave the call open.
   *
   * @param provider e.g. {@code openai}, {@code anthropic} ({@code gen_ai.provider.name})
   * @param model the requested model, e.g. {@code gpt-4o}
   * @param operation e.g. {@code chat}, {@code embeddings}, {@code text_completion}
   */
  public LlmCall start(
      @Nullable String provider, @Nullable String model, @Nullable String operation) {
    CallKey key = new CallKey(orUnknown(provider), orUnknown(model), orUnknown(operation));
    CallMeters meters = calls.find(key);
    if (meters == null) {
      meters =
          calls.getOrCreate(
              key,
              this::register,
              () -> register(new CallKey(Series.OTHER, Series.OTHER, Series.OTHER)));
    }
    if (meters.duration instanceof io.micrometer.core.instrument.noop.NoopMeter) {
      errors.refuse(
          Reason.REGISTRY_REJECTED,
          "Metric gen_ai_client_operation_duration_seconds was not registered: the meter registry"
              + " returned a no-op meter (a MeterFilter denied it, or its name clashes), so LLM call"
              + " metrics are lost");
    }
    LlmCallObserver.Handle handle;
    try {
      handle = observer.onStart(key.provider, key.model, key.operation);
    } catch (RuntimeException e) {
      errors.refuse(Reason.CALLBACK_FAILED, "LLM call observer failed: " + e);
      handle = LlmCallObserver.Handle.NONE;
    }
    return new LlmCall(
        this,
        key.provider,
        key.model,
        key.operation,
        meters,
        handle,
        registry.config().clock().monotonicTime());
  }

  /**
   * The work of one LLM call, given the open call so that it can report the first chunk, the prompt
   * and the token usage.
   *
   * @param <T> the work's result
   * @param <E> the checked exception the work may throw ({@code RuntimeException} when none)
   */
  @FunctionalInterface
  public interface Work<T extends @Nullable Object, E extends Exception> {
    /** Runs the call; may end it with {@link LlmCall#finish} or {@link LlmCall#fail}. */
    T run(LlmCall call) throws E;
  }

  /**
   * Runs {@code work} as one LLM call: {@link #start} before it, with the call's span current (when
   * tracing is installed), and an end after it. If the work returns without ending the call, the
   * call is finished without token usage ({@link LlmCall#finish()}); if it throws, the call fails
   * with the exception's class name as {@code error_type} (the OpenTelemetry convention) and the
   * exception is rethrown unchanged. Null arguments are recorded as {@code unknown}.
   *
   * @return what {@code work} returned
   * @throws E what {@code work} threw, unchanged (also unchecked exceptions and errors)
   */
  public <T extends @Nullable Object, E extends Exception> T call(
      @Nullable String provider,
      @Nullable String model,
      @Nullable String operation,
      Work<T, E> work)
      throws E {
    Objects.requireNonNull(work, "work");
    LlmCall call = start(provider, model, operation);
    AutoCloseable scope = call.makeCurrent();
    try {
      T result = work.run(call);
      call.finish();
      return result;
    } catch (Throwable e) {
      call.fail(e.getClass().getName());
      throw e;
    } finally {
      closeScope(scope);
    }
  }

  private void closeScope(AutoCloseable scope) {
    try {
      scope.close();
    } catch (Exception e) {
      errors.refuse(Reason.CALLBACK_FAILED, "LLM call observer failed to close its scope: " + e);
    }
  }

  /** Installs {@code observer} for calls started from now on; the tracing module uses it. */
  public void observer(LlmCallObserver observer) {
    this.observer = Objects.requireNonNull(observer, "observer");
  }

  long now() {
    return registry.config().clock().monotonicTime();
  }

  void recordFailure(
      String provider, String model, String operation, String errorType, long nanos) {
    FailureKey key = new FailureKey(new CallKey(provider, model, operation), errorType);
    Timer timer = failures.find(key);
    if (timer == null) {
      timer =
          failures.getOrCreate(
              key,
              k -> durationTimer(k.call, k.errorType),
              () ->
                  durationTimer(
                      new CallKey(Series.OTHER, Series.OTHER, Series.OTHER), Series.OTHER));
    }
    timer.record(Duration.ofNanos(nanos));
  }

  /** Forgets the series when one of their meters left the registry. */
  void removed(io.micrometer.core.instrument.Meter meter) {
    String name = meter.getId().getName();
    if (name.startsWith("gen_ai.") || name.startsWith("llm.")) {
      calls.clear();
      models.clear();
      failures.clear();
    }
  }

  void invalidTokens(String provider, String model, long in, long out) {
    errors.refuse(
        Reason.INVALID_VALUE,
        "LLM call to "
            + provider
            + "/"
            + model
            + " finished with token counts "
            + in
            + " in, "
            + out
            + " out: token counts must be >= 0; its tokens and cost are not recorded");
  }

  void unknownPrice(String provider, String model) {
    errors.warnOnce(
        "No price for LLM model "
            + provider
            + "/"
            + model
            + ", so llm_cost_usd_total does not count it: add it with"
            + " Monitoring.builder(...).llmPrice(...) or MONITORING_LLM_PRICES_FILE");
  }

  private CallMeters register(CallKey key) {
    ModelKey modelKey = new ModelKey(key.provider, key.model);
    ModelMeters model =
        models.getOrCreate(
            modelKey,
            this::registerModel,
            () -> registerModel(new ModelKey(Series.OTHER, Series.OTHER)));
    return new CallMeters(
        durationTimer(key, ""),
        Timer.builder("gen_ai.client.time_to_first_chunk")
            .description("Time from the request to the first chunk of a streamed GenAI response")
            .tag("gen_ai.operation.name", key.operation)
            .tag("gen_ai.provider.name", key.provider)
            .tag("gen_ai.request.model", key.model)
            .serviceLevelObjectives(seconds(FIRST_CHUNK_BUCKETS))
            .register(registry),
        tokens(key, "input"),
        tokens(key, "output"),
        model);
  }

  private Timer durationTimer(CallKey key, String errorType) {
    return Timer.builder("gen_ai.client.operation.duration")
        .description("Duration of GenAI client operations")
        .tag("gen_ai.operation.name", key.operation)
        .tag("gen_ai.provider.name", key.provider)
        .tag("gen_ai.request.model", key.model)
        .tag("error.type", errorType)
        .serviceLevelObjectives(seconds(DURATION_BUCKETS))
        .register(registry);
  }

  private DistributionSummary tokens(CallKey key, String type) {
    return DistributionSummary.builder("gen_ai.client.token.usage")
        .description("Tokens used by GenAI client operations")
        .tag("gen_ai.operation.name", key.operation)
        .tag("gen_ai.provider.name", key.provider)
        .tag("gen_ai.request.model", key.model)
        .tag("gen_ai.token.type", type)
        .serviceLevelObjectives(TOKEN_BUCKETS)
        .register(registry);
  }

  private ModelMeters registerModel(ModelKey key) {
    Counter cost =
        Counter.builder("llm.cost.usd")
            .description("Cost of LLM calls in US dollars, from the configured price table")
            .tag("gen_ai.provider.name", key.provider)
            .tag("gen_ai.request.model", key.model)
            .register(registry);
    ModelMeters meters = new ModelMeters(cost, prices.find(key.provider, key.model).orElse(null));
    Gauge.builder("llm.requests.in_flight", meters.inFlight, AtomicLong::get)
        .description("LLM calls started and not yet finished")
        .tag("gen_ai.provider.name", key.provider)
        .tag("gen_ai.request.model", key.model)
        .strongReference(true)
        .register(registry);
    return meters;
  }

  private static Duration[] seconds(double[] bounds) {
    Duration[] durations = new Duration[bounds.length];
    for (int i = 0; i < bounds.length; i++) {
      durations[i] = Duration.ofNanos(Math.round(bounds[i] * 1e9));
    }
    return durations;
  }

  private static String orUnknown(String value) {
    return value == null || value.isBlank() ? "unknown" : value;
  }
}
