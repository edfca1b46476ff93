package com.aicompanion.monitoring.logging;

import com.aicompanion.monitoring.MonitoringConfig;
import com.aicompanion.monitoring.MonitoringException;
import com.aicompanion.monitoring.SecretMasking;
import com.aicompanion.monitoring.logging.internal.SentryBridge;
import com.aicompanion.monitoring.logging.internal.SentryCounters;
import com.aicompanion.monitoring.logging.internal.SentrySupport;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * Sends ERROR log events (with INFO and WARN lines as breadcrumbs) to Sentry, with release,
 * environment and service, masked with the same policy as the logs and spans ({@link
 * MonitoringConfig#masking()}: {@code MONITORING_MASK_EMAILS}, {@code MONITORING_MASK_PATTERNS}).
 * The Java counterpart of {@code sentry_config.initialize()}.
 *
 * <pre>{@code
 * SentrySetup sentry = SentrySetup.initialize();   // SENTRY_DSN unset: off, one INFO line
 * SentrySetup sentry = SentrySetup.builder("ai-companion")
 *     .dsn("https://key@o1.ingest.sentry.io/42").environment("prod").release("1.4.2")
 *     .install();
 * sentry.close();                                    // flushes within the timeout
 * }</pre>
 *
 * <p>Sentry's own variables apply: {@code SENTRY_DSN}, {@code SENTRY_ENVIRONMENT} (default {@code
 * MONITORING_ENVIRONMENT}), {@code SENTRY_RELEASE} (default the service version) and {@code
 * SENTRY_TRACES_SAMPLE_RATE}.
 *
 * <p><b>Bounds.</b> {@link #close()} returns within the flush timeout (default 5 s; under {@code
 * Monitoring} at most half of {@code MONITORING_SHUTDOWN_TIMEOUT}, so that logging, closed after
 * Sentry, keeps the other half): flush and sentry-java's close run on a daemon thread that is left
 * behind when the bound passes (logged, counted in {@code
 * monitoring_sentry_events_dropped_total{reason="close_timeout"}}). One request to the ingest times
 * out after the flush timeout (at most 5 s) for connecting and again for reading. Breadcrumb
 * messages are cut to 8 KiB (counted in {@code monitoring_sentry_breadcrumbs_truncated_total}), and
 * sentry-java's event size limiting is on: an event over 1 MiB is sent without breadcrumbs and with
 * fewer stack frames (counted in {@code monitoring_sentry_events_shrunk_total}). An event that
 * cannot be masked is not sent (counted in {@code
 * monitoring_sentry_events_dropped_total{reason="masking_failed"}}). Each kind is logged once.
 *
 * <p>Sentry is an optional dependency: add {@code io.sentry:sentry-logback} to the application.
 * Without it this class still works and stays off; with {@code SENTRY_DSN} set it logs one WARN
 * naming the artifact to add.
 */
public final class SentrySetup implements AutoCloseable {
  /** The default bound of {@link #close()}, in milliseconds. */
  public static final long DEFAULT_FLUSH_MILLIS = 5000;

  // null when off; the bridge is the only class that names Sentry's types (optional dependency)
  private final SentryBridge bridge;
  // the policy events are masked with; null when off
  private final SecretMasking masking;
  private final AtomicBoolean closed = new AtomicBoolean();

  private SentrySetup(SentryBridge bridge, SecretMasking masking) {
    this.bridge = bridge;
    this.masking = masking;
  }

  /**
   * Initializes Sentry from the environment; without {@code SENTRY_DSN} it stays off. The service
   * name, environment and version come from the monitoring configuration ({@link
   * MonitoringConfig#fromEnvironment}: {@code MONITORING_SERVICE_NAME}, {@code OTEL_SERVICE_NAME},
   * {@code -Dmonitoring.service.name}, ..., default {@code application}).
   */
  public static SentrySetup initialize() {
    return initialize(System.getenv());
  }

  /** {@link #initialize()} reading {@code SENTRY_*} from {@code env} (test seam). */
  static SentrySetup initialize(Map<String, String> env) {
    MonitoringConfig config = MonitoringConfig.fromEnvironment("application");
    return builder(config.serviceName()).config(config).env(env).install();
  }

  /** A builder for {@code serviceName}. */
  public static Builder builder(String serviceName) {
    return new Builder(serviceName);
  }

  /** Whether events are sent (a DSN was given). */
  public boolean enabled() {
    return bridge != null;
  }

  /** The masking policy events are masked with, or null when off (for tests). */
  SecretMasking masking() {
    return masking;
  }

  /** Flushes pending events within the flush timeout and detaches from Logback. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true) || bridge == null) {
      return;
    }
    bridge.close();
  }

  /** Builds and installs {@link SentrySetup}. */
  public static final class Builder {
    private final String serviceName;
    private final List<Pattern> extraMasks = new ArrayList<>();
    private Map<String, String> env = System.getenv();
    private MonitoringConfig config;
    private String dsn;
    private String environment;
    private String release;
    private Double tracesSampleRate;
    private boolean maskEmails;
    private long flushMillis = DEFAULT_FLUSH_MILLIS;
    private MeterRegistry registry;

    private Builder(String serviceName) {
      this.serviceName = Objects.requireNonNull(serviceName, "serviceName");
    }

    /** The monitoring configuration for environment, version and service name. */
    public Builder config(MonitoringConfig config) {
      this.config = config;
      return this;
    }

    /** The DSN ({@code SENTRY_DSN}, default unset = off). */
    public Builder dsn(String dsn) {
      this.dsn = dsn;
      return this;
    }

    /** {@code SENTRY_ENVIRONMENT}, default the monitoring environment ({@code dev}). */
    public Builder environment(String environment) {
      this.environment = environment;
      return this;
    }

    /** {@code SENTRY_RELEASE}, default the service version. */
    public Builder release(String release) {
      this.release = release;
      return this;
    }

    /** {@code SENTRY_TRACES_SAMPLE_RATE}, default unset (no performance tracing). */
    public Builder tracesSampleRate(double rate) {
      this.tracesSampleRate = rate;
      return this;
    }

    /**
     * Also masks e-mail addresses (default: the monitoring configuration's {@code
     * MONITORING_MASK_EMAILS}, false).
     */
    public Builder maskEmails(boolean mask) {
      this.maskEmails = mask;
      return this;
    }

    /**
     * Masks every match of {@code regex} as well as the built-in secrets and {@code
     * MONITORING_MASK_PATTERNS}.
     *
     * @throws IllegalArgumentException naming the pattern, the rule and the fix when it is not a
     *     regular expression or would overflow the stack on long values (see docs/masking.md)
     */
    public Builder mask(String regex) {
      extraMasks.add(SecretMasking.builder().pattern(regex).build().patterns().get(0));
      return this;
    }

    /**
     * The bound of {@link SentrySetup#close()}, which flushes pending events, in milliseconds
     * (default {@value SentrySetup#DEFAULT_FLUSH_MILLIS}); also the connect and read timeout of one
     * request to the ingest, at most 5000 ms.
     *
     * @throws IllegalArgumentException when {@code millis} is below 1
     */
    public Builder flushTimeoutMillis(long millis) {
      if (millis < 1) {
        throw new IllegalArgumentException(
            "flushTimeoutMillis(" + millis + ") must be at least 1, e.g. 5000");
      }
      this.flushMillis = millis;
      return this;
    }

    /**
     * Where the {@code monitoring_sentry_*} counters go (default none: counted privately; the
     * logging module passes the Monitoring registry).
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** Test seam: the environment to read {@code SENTRY_*} from. */
    Builder env(Map<String, String> env) {
      this.env = env;
      return this;
    }

    /**
     * Initializes Sentry and attaches its Logback appender (ERROR events, INFO breadcrumbs).
     *
     * @throws MonitoringException when the DSN or sample rate is malformed
     */
    public SentrySetup install() {
      org.slf4j.Logger log = LoggerFactory.getLogger(SentrySetup.class);
      String theDsn = first(dsn, env.get("SENTRY_DSN"));
      if (theDsn == null) {
        log.info("Sentry is off: SENTRY_DSN is not set");
        return new SentrySetup(null, null);
      }
      MonitoringConfig cfg =
          config != null ? config : MonitoringConfig.fromEnvironment(serviceName);
      // the identity's environment, as on every other signal; SENTRY_ENVIRONMENT is its lowest
      // source (ServiceIdentity), so it counts only where nothing above it is set
      String theEnvironment =
          first(
              environment,
              !cfg.isExplicit("environment") ? env.get("SENTRY_ENVIRONMENT") : null,
              cfg.environment());
      String theRelease = first(release, env.get("SENTRY_RELEASE"), cfg.serviceVersion());
      Double rate = tracesSampleRate;
      String rateText = env.get("SENTRY_TRACES_SAMPLE_RATE");
      if (rate == null && rateText != null && !rateText.isBlank()) {
        try {
          rate = Double.parseDouble(rateText);
        } catch (NumberFormatException e) {
          rate = -1.0;
        }
        if (rate < 0 || rate > 1) {
          throw new MonitoringException(
              "SENTRY_TRACES_SAMPLE_RATE=" + rateText + " is not a number between 0 and 1");
        }
      }
      // the policy every signal shares, plus what this builder adds
      SecretMasking masking = cfg.masking();
      if ((maskEmails && !masking.masksEmails()) || !extraMasks.isEmpty()) {
        masking =
            masking.toBuilder()
                .maskEmails(maskEmails || masking.masksEmails())
                .patterns(extraMasks)
                .build();
      }
      if (!SentrySupport.available()) {
        log.warn(SentrySupport.missingMessage());
        return new SentrySetup(null, null);
      }
      SentryBridge bridge;
      try {
        bridge =
            SentryBridge.install(
                theDsn,
                theEnvironment,
                theRelease,
                cfg.serviceName(),
                rate,
                flushMillis,
                masking,
                new SentryCounters(registry != null ? registry : new SimpleMeterRegistry()));
      } catch (IllegalArgumentException e) {
        throw new MonitoringException(
            "SENTRY_DSN is not a valid Sentry DSN ("
                + e.getMessage()
                + "): use the DSN from the project's settings, e.g. https://key@o1.ingest.sentry.io/42",
            e);
      }
      log.info(
          "Sentry is on: environment {}, release {}, service {}",
          theEnvironment,
          theRelease,
          cfg.serviceName());
      return new SentrySetup(bridge, masking);
    }

    private static String first(String... values) {
      for (String v : values) {
        if (v != null && !v.isBlank()) {
          return v;
        }
      }
      return null;
    }
  }
}
