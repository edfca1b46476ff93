package com.aicompanion.monitoring.logging.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.RawValue;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import net.logstash.logback.argument.StructuredArgument;
import org.jspecify.annotations.Nullable;

/**
 * Writes the user fields of one event (MDC entries, SLF4J key/value pairs, structured arguments) so
 * that none collides with the schema or with another user field of the event: a name {@link
 * EcsSchema#topLevel} allows and that does not overlap a user field written before it (same path,
 * or one holding the other) is written at the top level; any other goes under {@code labels} with
 * its {@link EcsSchema#labelKey} (made unique with {@code _2}, {@code _3}...) and its value as
 * text. Values are {@link UserValues#normalize normalized}; a value whose reading, serializing or
 * masking throws is written as {@link EncodingErrors#marker} and counted.
 *
 * <pre>{@code
 * writer.begin(generator);
 * writer.mdc("request.id", "r-1");
 * writer.field("error", "x");      // labels.error
 * writer.finish();                  // writes "labels":{"error":"x"}
 * writer.end();
 * }</pre>
 *
 * <p>One instance per thread, reused: the common case (a few MDC entries and scalar arguments, none
 * clashing) allocates nothing. Masking: strings are masked here (whole when the field name says
 * secret, for any value type); structured values are streamed by {@link UserValueWriter}, which
 * applies the index rules and masks as it writes (no intermediate tree).
 */
final class UserFieldWriter {
  private static final SerializableString LABELS = new SerializedString(EcsSchema.LABELS);
  private static final ObjectMapper FALLBACK_MAPPER =
      UserValueSerializers.register(new ObjectMapper());
  private static final int LINEAR = 16;
  private static final int VERDICTS = 64;

  private final SecretMasker masker;
  private final EncodingErrors errors;
  private final ArgumentCapture capture = new ArgumentCapture(this);
  private final UserValueWriter values;
  private final String[] verdictNames = new String[VERDICTS];
  private final boolean[] verdicts = new boolean[VERDICTS];
  private final String[] names = new String[LINEAR];
  private final List<Label> labels = new ArrayList<>();
  private final PathSet labelKeys = new PathSet();
  private PathSet moreNames;
  private int nameCount;
  private JsonGenerator out;
  private JsonGenerator raw;
  private boolean inUse;

  UserFieldWriter(SecretMasker masker, EncodingErrors errors) {
    this.masker = masker;
    this.errors = errors;
    this.values = new UserValueWriter(masker, errors);
  }

  boolean inUse() {
    return inUse;
  }

  /** Starts an event written to {@code generator} (the masking one). */
  void begin(JsonGenerator generator) {
    inUse = true;
    out = generator;
    raw = MaskingJsonGenerator.unmasked(generator);
    nameCount = 0;
  }

  /** Forgets the event. */
  void end() {
    for (int i = 0; i < nameCount; i++) {
      names[i] = null;
    }
    nameCount = 0;
    if (moreNames != null) {
      moreNames.clear();
    }
    labels.clear();
    labelKeys.clear();
    out = null;
    raw = null;
    inUse = false;
  }

  /**
   * An MDC entry; {@code trace.id} and {@code span.id} are skipped: they are the schema's own
   * fields, written by {@link TraceFieldsJsonProvider} (from the current span or from these
   * entries).
   */
  void mdc(String key, String value) throws IOException {
    if (key.equals(TraceCapture.TRACE_ID) || key.equals(TraceCapture.SPAN_ID)) {
      return;
    }
    if (place(key)) {
      raw.writeFieldName(key);
      raw.writeString(masked(key, value));
    } else {
      label(key, value);
    }
  }

  /** A structured argument: its fields are captured and written as {@link #field}s. */
  void argument(StructuredArgument argument) throws IOException {
    capture.write(argument, out);
  }

  /**
   * A key/value pair or one field of a structured argument. A null {@code key} is treated as an
   * empty name: it goes under {@code labels._}, never dropped.
   */
  void field(@Nullable String key, Object value) throws IOException {
    String name = key == null ? "" : key;
    if (!place(name)) {
      label(name, value);
      return;
    }
    if (value instanceof String text) {
      raw.writeFieldName(name);
      raw.writeString(masked(name, text));
      return;
    }
    if (value != null && secret(name)) {
      raw.writeFieldName(name);
      raw.writeString(SecretMasker.MASK);
      return;
    }
    if (value == null
        || value instanceof Boolean
        || value instanceof Number
        || value instanceof CharSequence
        || value instanceof Character) {
      Object scalar = UserValues.scalar(value);
      raw.writeFieldName(name);
      write(name, scalar);
      return;
    }
    JsonParser tokens;
    ObjectMapper mapper = mapper();
    try {
      // the value's serializers (the application's code) run here, before anything is written
      tokens = UserValueWriter.read(value, mapper);
    } catch (Throwable failure) {
      raw.writeFieldName(name);
      raw.writeString(failed(name, failure));
      return;
    }
    raw.writeFieldName(name);
    values.write(tokens, raw, EcsSchema.segments(name), name, mapper);
  }

  /** A field whose value could not be read; {@code key} null when even its name is unknown. */
  void unavailable(String key, Throwable failure) throws IOException {
    String what = key == null ? MinimalLine.LABEL : key;
    String marker = failed(what, failure);
    if (key != null && place(key)) {
      raw.writeFieldName(key);
      raw.writeString(marker);
    } else {
      label(what, marker);
    }
  }

  /** Writes the labels collected for the event. */
  void finish() throws IOException {
    if (labels.isEmpty()) {
      return;
    }
    raw.writeFieldName(LABELS);
    raw.writeStartObject();
    for (int i = 0; i < labels.size(); i++) {
      Label label = labels.get(i);
      raw.writeFieldName(label.key);
      if (label.value == null) {
        raw.writeNull();
      } else {
        raw.writeString(labelText(label));
      }
    }
    raw.writeEndObject();
  }

  ObjectMapper mapper() {
    return out != null && out.getCodec() instanceof ObjectMapper mapper ? mapper : FALLBACK_MAPPER;
  }

  private void write(String name, Object value) throws IOException {
    if (value == null) {
      raw.writeNull();
    } else if (value instanceof String text) {
      raw.writeString(masked(name, text));
    } else if (value instanceof Boolean b) {
      out.writeBoolean(b);
    } else if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      out.writeNumber(((Number) value).intValue());
    } else if (value instanceof Long l) {
      out.writeNumber(l);
    } else if (value instanceof Double d) {
      out.writeNumber(d);
    } else if (value instanceof Float f) {
      out.writeNumber(f);
    } else if (value instanceof BigInteger big) {
      out.writeNumber(big);
    } else if (value instanceof BigDecimal decimal) {
      out.writeNumber(decimal);
    }
  }

  /** Whether {@code name} is written at the top level; registers it when it is. */
  private boolean place(String name) {
    if (!topLevel(name)) {
      return false;
    }
    for (int i = 0; i < nameCount; i++) {
      if (EcsSchema.overlap(names[i], name)) {
        return false;
      }
    }
    if (nameCount < LINEAR) {
      names[nameCount++] = name;
      return true;
    }
    if (moreNames == null) {
      moreNames = new PathSet();
    }
    if (moreNames.overlaps(name)) {
      return false;
    }
    moreNames.add(name);
    return true;
  }

  /**
   * {@link EcsSchema#topLevel}, remembered per name instance: an application logs the same few
   * names (usually string constants) on every line, so this is one array read for them.
   */
  private boolean topLevel(String name) {
    int slot = name.hashCode() & (VERDICTS - 1);
    if (verdictNames[slot] == name) {
      return verdicts[slot];
    }
    boolean topLevel = EcsSchema.topLevel(name);
    verdictNames[slot] = name;
    verdicts[slot] = topLevel;
    return topLevel;
  }

  private void label(String name, Object value) {
    String key = labelKeys.free(EcsSchema.labelKey(name));
    labelKeys.add(key);
    labels.add(new Label(key, name, value));
  }

  private String labelText(Label label) {
    try {
      if (secret(label.name) || secret(label.key)) {
        return SecretMasker.MASK;
      }
      Object value = label.value;
      if (value instanceof String text) {
        return masker.mask(text);
      }
      if (value instanceof Number || value instanceof Boolean || value instanceof Character) {
        return masker.mask(value.toString());
      }
      if (value instanceof RawValue rawJson) {
        return masker.mask(String.valueOf(rawJson.rawValue()));
      }
      // masked on the way (each string, secret-named values whole): not scanned a second time
      return values.labelJson(value, mapper());
    } catch (Throwable failure) {
      return failed(label.name, failure);
    }
  }

  private String masked(String name, String value) {
    try {
      return masker.secretField(name) ? SecretMasker.MASK : masker.mask(value);
    } catch (Throwable failure) {
      return failed(name, failure);
    }
  }

  private boolean secret(String name) {
    try {
      return masker.secretField(name);
    } catch (Throwable failure) {
      return true;
    }
  }

  private String failed(String name, Throwable failure) {
    String marker = EncodingErrors.marker(failure);
    try {
      errors.record(name, failure);
    } catch (Throwable ignored) {
      // counting must not turn a replaced field into a lost event
    }
    return marker;
  }

  private record Label(String key, String name, Object value) {}
}
