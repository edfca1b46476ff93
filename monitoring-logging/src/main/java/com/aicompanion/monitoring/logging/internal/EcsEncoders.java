package com.aicompanion.monitoring.logging.internal;

import ch.qos.logback.core.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import net.logstash.logback.composite.loggingevent.ArgumentsJsonProvider;
import net.logstash.logback.composite.loggingevent.KeyValuePairsJsonProvider;
import net.logstash.logback.composite.loggingevent.LoggingEventJsonProviders;
import net.logstash.logback.composite.loggingevent.StackTraceJsonProvider;
import net.logstash.logback.composite.loggingevent.ThrowableClassNameJsonProvider;
import net.logstash.logback.composite.loggingevent.ThrowableMessageJsonProvider;
import net.logstash.logback.encoder.LoggingEventCompositeJsonEncoder;

/**
 * Builds the ECS 8 JSON encoder of the log schema (monitoring-logging/README.md, "Log schema") from
 * logstash-logback-encoder providers, with the masking policy applied to every string value.
 *
 * <pre>{@code
 * LoggingEventCompositeJsonEncoder encoder = EcsEncoders.create(context, identity, masker);
 * byte[] line = encoder.encode(event);
 * }</pre>
 */
public final class EcsEncoders {
  /** The ECS version the field names follow. */
  public static final String ECS_VERSION = "8.11.0";

  private EcsEncoders() {}

  /** The service fields every line carries. */
  public record Identity(String service, String version, String environment, String hostname) {}

  /** A started encoder writing one ECS JSON object per line. */
  public static LoggingEventCompositeJsonEncoder create(
      Context context, Identity identity, SecretMasker masker) {
    LoggingEventJsonProviders providers = new LoggingEventJsonProviders();

    // @timestamp, log.level, message (masked), service fields, log.logger, process.thread.name
    providers.addProvider(new EcsFieldsJsonProvider(serviceFields(identity), masker));

    ThrowableClassNameJsonProvider errorType = new ThrowableClassNameJsonProvider();
    errorType.setFieldName("error.type");
    errorType.setUseSimpleClassName(false);
    providers.addThrowableClassName(errorType);

    ThrowableMessageJsonProvider errorMessage = new ThrowableMessageJsonProvider();
    errorMessage.setFieldName("error.message");
    providers.addThrowableMessage(errorMessage);

    StackTraceJsonProvider stack = new StackTraceJsonProvider();
    stack.setFieldName("error.stack_trace");
    providers.addStackTrace(stack);

    // MDC (with trace.id / span.id, see TraceCapture), key/value pairs and structured
    // arguments become top-level fields
    providers.addProvider(new MaskedMdcJsonProvider(masker));
    providers.addKeyValuePairs(new KeyValuePairsJsonProvider());
    ArgumentsJsonProvider arguments = new ArgumentsJsonProvider();
    arguments.setIncludeNonStructuredArguments(false);
    providers.addArguments(arguments);

    LoggingEventCompositeJsonEncoder encoder = new LoggingEventCompositeJsonEncoder();
    encoder.setContext(context);
    encoder.setProviders(providers);
    // masks what the other providers write (error fields, stack trace, key/value pairs,
    // arguments); applied once per reused generator, not per event
    encoder.setJsonGeneratorDecorator(generator -> new MaskingJsonGenerator(generator, masker));
    encoder.setLineSeparator("\n");
    encoder.start();
    return encoder;
  }

  static Map<String, String> serviceFields(Identity identity) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("ecs.version", ECS_VERSION);
    fields.put("service.name", identity.service());
    fields.put("service.version", identity.version());
    fields.put("service.environment", identity.environment());
    fields.put("event.dataset", identity.service() + ".log");
    fields.put("host.hostname", identity.hostname());
    return fields;
  }
}
