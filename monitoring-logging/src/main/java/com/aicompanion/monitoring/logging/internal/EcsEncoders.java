package com.aicompanion.monitoring.logging.internal;

import ch.qos.logback.core.Context;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import net.logstash.logback.composite.loggingevent.LoggingEventJsonProviders;
import net.logstash.logback.decorate.JsonFactoryDecorator;
import net.logstash.logback.encoder.LoggingEventCompositeJsonEncoder;

/**
 * Builds the ECS 8 JSON encoder of the log schema (monitoring-logging/README.md, "Log schema") from
 * logstash-logback-encoder's composite encoder and this library's providers, with the masking
 * policy applied to every string value, user fields kept clear of the schema (see {@link
 * EcsSchema}), and no event able to make it throw (see {@link EncodingErrors}).
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

  /**
   * A started encoder writing one ECS JSON object per line, counting what it cannot encode in an
   * {@link EncodingErrors} of its own (whose first failure becomes a Logback warning).
   */
  public static LoggingEventCompositeJsonEncoder create(
      Context context, Identity identity, SecretMasker masker) {
    return create(context, identity, masker, new EncodingErrors());
  }

  /**
   * A started encoder writing one ECS JSON object per line. It never throws: a field it cannot read
   * or mask is written as {@link EncodingErrors#marker}, an event it cannot write at all as a
   * minimal line naming the failure; both are counted in {@code errors}. Without a listener set on
   * {@code errors}, the first failure is reported as a Logback warning.
   */
  public static LoggingEventCompositeJsonEncoder create(
      Context context, Identity identity, SecretMasker masker, EncodingErrors errors) {
    Map<String, String> serviceFields = serviceFields(identity);
    LoggingEventJsonProviders providers = new LoggingEventJsonProviders();

    // @timestamp, log.level, message (masked), service fields, log.logger, process.thread.name
    providers.addProvider(new EcsFieldsJsonProvider(serviceFields, masker, errors));
    // error.type, error.message, error.stack_trace
    providers.addProvider(new ErrorFieldsJsonProvider(masker, errors));
    // trace.id, span.id: captured by an asynchronous appender, else the current span (TraceCapture)
    providers.addProvider(new TraceFieldsJsonProvider());
    // MDC (but trace.id / span.id), key/value pairs and structured arguments
    // as top-level fields, those that would collide with the schema or each other under labels
    providers.addProvider(new UserFieldsJsonProvider(masker, errors));

    EcsLineEncoder encoder = new EcsLineEncoder(new MinimalLine(serviceFields, masker), errors);
    encoder.setContext(context);
    encoder.setProviders(providers);
    // masks what the providers write through it (values of structured arguments and key/value
    // pairs that are objects); applied once per reused generator, not per event
    encoder.setJsonGeneratorDecorator(generator -> new MaskingJsonGenerator(generator, masker));
    // java.time, Optional and Thread values of user fields as text/value (UserValueSerializers)
    encoder.setJsonFactoryDecorator(
        new JsonFactoryDecorator() {
          @Override
          public JsonFactory decorate(JsonFactory factory) {
            if (factory.getCodec() instanceof ObjectMapper mapper) {
              UserValueSerializers.register(mapper);
            }
            return factory;
          }
        });
    encoder.setLineSeparator("\n");
    errors.reportFirstFailureIfUnset(encoder::addWarn);
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
