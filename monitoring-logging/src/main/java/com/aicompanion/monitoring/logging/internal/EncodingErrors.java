package com.aicompanion.monitoring.logging.internal;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Counts what the encoders could not write as given: a field replaced by {@link #marker} (a
 * message, MDC value, argument or exception field whose reading, serializing or masking threw) or a
 * whole event written in its minimal form. Exposed as {@code monitoring_log_encoding_errors_total};
 * the first failure is also described once to a listener (the module logs it through the
 * application's log), later ones are only counted.
 *
 * <pre>{@code
 * EncodingErrors errors = new EncodingErrors();
 * errors.onFirstFailure(text -> log.warn(text));
 * errors.bindTo(registry);
 * Encoder<ILoggingEvent> encoder = EcsEncoders.create(context, identity, masker, errors);
 * }</pre>
 *
 * <p>Never throws: a listener that throws is ignored. One instance may serve several encoders.
 */
public final class EncodingErrors implements MeterBinder {
  /** The Micrometer name; Prometheus exposes it as {@code monitoring_log_encoding_errors_total}. */
  public static final String METRIC = "monitoring.log.encoding.errors";

  /** What {@link #record} is told when a whole event failed. */
  public static final String EVENT = "event";

  private final LongAdder count = new LongAdder();
  private final AtomicBoolean described = new AtomicBoolean();
  private volatile Consumer<String> listener;

  /**
   * The text written in place of a value that could not be encoded: {@code [unavailable: <class of
   * the failure>]}. Only the class: the failure's message may hold the very value being masked.
   */
  public static String marker(Throwable failure) {
    return "[unavailable: " + failure.getClass().getName() + "]";
  }

  /** Where the first failure is described (one call, at most); replaces the previous listener. */
  public void onFirstFailure(Consumer<String> listener) {
    this.listener = listener;
  }

  /** {@link #onFirstFailure}, unless a listener is set already (the encoder's status fallback). */
  synchronized void reportFirstFailureIfUnset(Consumer<String> fallback) {
    if (listener == null) {
      listener = fallback;
    }
  }

  /**
   * Counts one failure of {@code what} (a field name, or {@link #EVENT} for a whole event) and
   * describes the first one. Returns the description when this was the first failure, else null.
   */
  public String record(String what, Throwable failure) {
    count.increment();
    if (!described.compareAndSet(false, true)) {
      return null;
    }
    String text =
        "a log event could not be encoded as given: "
            + (what.equals(EVENT)
                ? "the whole event failed with "
                    + failure.getClass().getName()
                    + " and was written as a minimal line naming it in labels."
                    + MinimalLine.LABEL
                : what
                    + " failed with "
                    + failure.getClass().getName()
                    + " and was written as "
                    + marker(failure))
            + "; later failures are only counted in monitoring_log_encoding_errors_total";
    Consumer<String> to = listener;
    try {
      if (to != null) {
        to.accept(text);
      }
    } catch (RuntimeException ignored) {
      // the listener is a log call; if it fails, the counter still tells
    }
    return text;
  }

  /**
   * {@code failure} as the IOException a JSON provider throws so that logstash-logback-encoder
   * discards the generator it was writing with (it keeps one after an Error), and the encoder
   * writes the event in its minimal form.
   */
  static IOException wrap(Throwable failure) {
    return failure instanceof IOException io ? io : new Failure(failure);
  }

  /** What {@link #wrap} wrapped, or {@code failure} itself. */
  static Throwable unwrap(Throwable failure) {
    return failure instanceof Failure && failure.getCause() != null ? failure.getCause() : failure;
  }

  /** Failures counted so far. */
  public long count() {
    return count.sum();
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    FunctionCounter.builder(METRIC, count, LongAdder::doubleValue)
        .description(
            "Log fields replaced by a marker, or events written in their minimal form, because"
                + " encoding them failed")
        .register(registry);
  }

  private static final class Failure extends IOException {
    private static final long serialVersionUID = 1L;

    Failure(Throwable cause) {
      super(cause.getClass().getName(), cause);
    }
  }
}
