package com.aicompanion.monitoring.logging.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.time.ZoneId;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalAmount;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The Jackson rules for user values of JDK types that Jackson cannot write without extra modules,
 * registered on the encoder's mapper (after any module the application brings, so these win): a
 * {@code java.time} value as its ISO-8601 text ({@code toString()}: {@code "2024-01-02T03:04:05Z"},
 * {@code "2024-01-02"}, {@code "PT1M30S"}, {@code "Europe/Paris"}), never a number; an {@code
 * Optional} as its value or null, {@code OptionalInt}/{@code Long}/{@code Double} as the number or
 * null; a {@code Thread} as its {@code toString()} (name, id, group), not as a bean with its stack
 * trace.
 *
 * <pre>{@code
 * mapper.registerModule(UserValueSerializers.module());
 * mapper.valueToTree(Map.of("at", Instant.EPOCH));   // {"at":"1970-01-01T00:00:00Z"}
 * }</pre>
 */
final class UserValueSerializers {
  private UserValueSerializers() {}

  /** A new module with these rules. */
  static SimpleModule module() {
    SimpleModule module = new SimpleModule("companion-monitoring-user-values");
    module.addSerializer(TemporalAccessor.class, ToStringSerializer.instance);
    module.addSerializer(TemporalAmount.class, ToStringSerializer.instance);
    module.addSerializer(ZoneId.class, ToStringSerializer.instance);
    module.addSerializer(Thread.class, ToStringSerializer.instance);
    module.addSerializer(new OptionalSerializer());
    module.addSerializer(new PrimitiveOptionalSerializer<>(OptionalInt.class));
    module.addSerializer(new PrimitiveOptionalSerializer<>(OptionalLong.class));
    module.addSerializer(new PrimitiveOptionalSerializer<>(OptionalDouble.class));
    return module;
  }

  /** {@code mapper} with {@link #module()} registered; the same instance. */
  static ObjectMapper register(ObjectMapper mapper) {
    return mapper.registerModule(module());
  }

  @SuppressWarnings("rawtypes")
  private static final class OptionalSerializer extends StdSerializer<Optional> {
    private static final long serialVersionUID = 1L;

    OptionalSerializer() {
      super(Optional.class);
    }

    @Override
    public void serialize(Optional value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      if (value.isPresent()) {
        provider.defaultSerializeValue(value.get(), gen);
      } else {
        gen.writeNull();
      }
    }
  }

  private static final class PrimitiveOptionalSerializer<T> extends StdSerializer<T> {
    private static final long serialVersionUID = 1L;

    PrimitiveOptionalSerializer(Class<T> type) {
      super(type);
    }

    @Override
    public void serialize(T value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      if (value instanceof OptionalInt i && i.isPresent()) {
        gen.writeNumber(i.getAsInt());
      } else if (value instanceof OptionalLong l && l.isPresent()) {
        gen.writeNumber(l.getAsLong());
      } else if (value instanceof OptionalDouble d && d.isPresent()) {
        gen.writeNumber(d.getAsDouble());
      } else {
        gen.writeNull();
      }
    }
  }
}
