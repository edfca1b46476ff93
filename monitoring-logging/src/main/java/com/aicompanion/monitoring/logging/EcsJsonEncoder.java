package com.aicompanion.monitoring.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.EncoderBase;
import com.aicompanion.monitoring.logging.internal.EcsEncoders;
import com.aicompanion.monitoring.logging.internal.EncodingErrors;
import com.aicompanion.monitoring.logging.internal.SecretMasker;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * The ECS 8 JSON encoder with the masking policy and trace ids, for your own {@code logback.xml}
 * (the same lines {@link JsonLogging} writes).
 *
 * <pre>{@code
 * <appender name="JSON" class="ch.qos.logback.core.ConsoleAppender">
 *   <encoder class="com.aicompanion.monitoring.logging.EcsJsonEncoder">
 *     <serviceName>ai-companion</serviceName>
 *     <serviceVersion>1.4.2</serviceVersion>
 *     <environment>prod</environment>
 *     <mask>CUST-\d{6}</mask>
 *   </encoder>
 * </appender>
 * }</pre>
 *
 * <p>Properties (validated in {@link #start()}; a bad one is reported as a Logback error naming the
 * property, the value and the fix, and the encoder does not start): {@code serviceName} (required;
 * {@code MONITORING_SERVICE_NAME} and {@code OTEL_SERVICE_NAME} take precedence as everywhere),
 * {@code serviceVersion}, {@code environment} and {@code hostname} (each, when left out, resolved
 * as {@code Monitoring.start} resolves them: see {@link
 * com.aicompanion.monitoring.ServiceIdentity}; so a {@code logback.xml} and {@code Monitoring}
 * agree), {@code maskEmails} (default false), {@code mask} (a regular expression, repeatable).
 * Trace ids are taken from the current OpenTelemetry span on the thread that encodes (else from the
 * MDC's {@code trace.id}/{@code span.id}), without changing the event, so put this encoder in a
 * synchronous appender ({@code ConsoleAppender}, {@code FileAppender}): behind Logback's plain
 * {@code AsyncAppender} it runs on the queue's worker, and the lines carry no trace ids. User
 * fields that would collide with the schema go under {@code labels} (monitoring-logging/README.md,
 * "User fields and the ECS schema"); no event makes {@link #encode} throw.
 */
public final class EcsJsonEncoder extends EncoderBase<ILoggingEvent> {
  private String serviceName;
  private String serviceVersion;
  private String environment;
  private String hostname;
  private boolean maskEmails;
  private final List<String> masks = new ArrayList<>();
  private final EncodingErrors errors = new EncodingErrors();
  private ch.qos.logback.core.encoder.Encoder<ILoggingEvent> delegate;

  public void setServiceName(String serviceName) {
    this.serviceName = serviceName;
  }

  public void setServiceVersion(String serviceVersion) {
    this.serviceVersion = serviceVersion;
  }

  public void setEnvironment(String environment) {
    this.environment = environment;
  }

  public void setHostname(String hostname) {
    this.hostname = hostname;
  }

  public void setMaskEmails(boolean maskEmails) {
    this.maskEmails = maskEmails;
  }

  /** Adds a regular expression whose matches are masked ({@code <mask>} may repeat). */
  public void addMask(String regex) {
    masks.add(regex);
  }

  @Override
  public void start() {
    String component = getClass().getSimpleName();
    if (serviceName == null || serviceName.isBlank()) {
      addError(
          component
              + ": property serviceName is '"
              + serviceName
              + "': add <serviceName>your-service</serviceName> to the encoder");
      return;
    }
    List<Pattern> patterns = compile(component, masks, this::addError);
    if (patterns == null) {
      return;
    }
    // what the XML leaves out comes from the same resolution Monitoring.start uses (MONITORING_*,
    // OTEL_RESOURCE_ATTRIBUTES, the application jar's version), so both write the same identity
    EcsEncoders.Identity identity;
    try {
      identity = identity(serviceName, serviceVersion, environment, hostname);
    } catch (RuntimeException e) {
      addError(component + ": " + e.getMessage());
      return;
    }
    SecretMasker masker = masker(component, serviceName, maskEmails, patterns, this::addError);
    if (masker == null) {
      return;
    }
    delegate = EcsEncoders.create(getContext(), identity, masker, errors);
    super.start();
  }

  @Override
  public byte @Nullable [] headerBytes() {
    return null;
  }

  /**
   * One ECS JSON line and {@code '\n'}; never throws. A field that cannot be read or masked (a
   * {@code toString()} or getter that throws, a masking pattern that overflows the stack) is
   * written as {@code "[unavailable: <exception class>]"}, an event that cannot be written at all
   * as a minimal line with {@code labels.encoding_error}; both are counted in {@link
   * #encodingErrors()}. Before {@link #start()} succeeded: an empty array.
   */
  @Override
  public byte[] encode(ILoggingEvent event) {
    if (delegate == null) {
      return new byte[0];
    }
    return delegate.encode(event);
  }

  /** Fields and events this encoder could not encode as given (see {@link #encode}); from 0. */
  public long encodingErrors() {
    return errors.count();
  }

  /**
   * Registers {@code monitoring_log_encoding_errors_total} ({@link #encodingErrors()}) with {@code
   * registry}. Call once per registry.
   */
  public void bindTo(MeterRegistry registry) {
    errors.bindTo(registry);
  }

  @Override
  public byte @Nullable [] footerBytes() {
    return null;
  }

  /**
   * The masking policy of a logback.xml component: the environment's ({@code MONITORING_MASK_*}, as
   * {@code Monitoring.start} reads it) plus the element's own {@code <maskEmails>} and {@code
   * <mask>} patterns; null after reporting a refused pattern (one that would overflow the stack)
   * with its fix.
   */
  static @Nullable SecretMasker masker(
      String component,
      @Nullable String serviceName,
      boolean maskEmails,
      List<Pattern> patterns,
      java.util.function.Consumer<String> error) {
    try {
      com.aicompanion.monitoring.SecretMasking.Builder policy =
          com.aicompanion.monitoring.MonitoringConfig.fromEnvironment(
                  blankTo(serviceName, "unknown_service:java"))
              .masking()
              .toBuilder()
              .patterns(patterns);
      if (maskEmails) {
        policy.maskEmails(true);
      }
      return SecretMasker.of(policy.build());
    } catch (RuntimeException e) {
      error.accept(component + ": " + e.getMessage());
      return null;
    }
  }

  /** The compiled patterns, or null after reporting the first bad one. */
  static List<Pattern> compile(
      String component, List<String> regexes, java.util.function.Consumer<String> error) {
    List<Pattern> patterns = new ArrayList<>();
    for (String regex : regexes) {
      try {
        patterns.add(Pattern.compile(regex));
      } catch (PatternSyntaxException e) {
        error.accept(
            component
                + ": property mask is '"
                + regex
                + "', which is not a regular expression ("
                + e.getDescription()
                + "): fix the <mask> element, e.g. <mask>CUST-\\d{6}</mask>");
        return null;
      }
    }
    return patterns;
  }

  static String blankTo(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }

  /**
   * The identity of a Logback component configured in XML: the properties it sets, the rest
   * resolved as {@code Monitoring.start} resolves it ({@link
   * com.aicompanion.monitoring.ServiceIdentity}).
   */
  static EcsEncoders.Identity identity(
      String serviceName, String version, String environment, String hostname) {
    com.aicompanion.monitoring.ServiceIdentity resolved =
        com.aicompanion.monitoring.MonitoringConfig.fromEnvironment(serviceName).identity();
    return new EcsEncoders.Identity(
        resolved.name(),
        blankTo(version, resolved.version()),
        blankTo(environment, resolved.environment()),
        blankTo(hostname, resolved.instanceId()));
  }
}
