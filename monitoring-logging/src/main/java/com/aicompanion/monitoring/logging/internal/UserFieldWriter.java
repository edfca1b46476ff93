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
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
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
  private static final int VERDICTS = 128;

  private final SecretMasker masker;
  private final EncodingErrors errors;
  private final ArgumentCapture capture = new ArgumentCapture(this);
  private final UserValueWriter values;
  private final String[] verdictNames = new String[VERDICTS];
  private final boolean[] verdicts = new boolean[VERDICTS];
  private final String[] names = new String[LINEAR];
  // the labels of the event, in parallel arrays reused between events (no object per label)
  private String[] labelKeys = new String[4];
  private String[] labelNames = new String[4];
  private Object[] labelValues = new Object[4];
  private int labelCount;
  // the label keys once there are more than LINEAR of them (a key holds no dot: equality suffices)
  private Set<String> moreLabelKeys;
  private ObjectMapper codec = FALLBACK_MAPPER;
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
    codec = generator.getCodec() instanceof ObjectMapper mapper ? mapper : FALLBACK_MAPPER;
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
    for (int i = 0; i < labelCount; i++) {
      labelKeys[i] = null;
      labelNames[i] = null;
      labelValues[i] = null;
    }
    labelCount = 0;
    if (moreLabelKeys != null) {
      moreLabelKeys.clear();
    }
    codec = FALLBACK_MAPPER;
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
    if (labelCount == 0) {
      return;
    }
    raw.writeFieldName(LABELS);
    raw.writeStartObject();
    for (int i = 0; i < labelCount; i++) {
      raw.writeFieldName(labelKeys[i]);
      if (labelValues[i] == null) {
        raw.writeNull();
      } else {
        String text = labelText(labelKeys[i], labelNames[i], labelValues[i]);
        if (text == null) {
          // a structured value's JSON text, built in the value writer's buffer
          values.writeLabelText(raw);
        } else {
          raw.writeString(text);
        }
      }
    }
    raw.writeEndObject();
  }

  /** The mapper of the event's generator (read once per event), else one of this class. */
  ObjectMapper mapper() {
    return codec;
  }

  /**
   * A scalar of a field whose name {@link #field} found not secret: written past the masking
   * generator, which would only ask the same question again; strings are masked here.
   */
  private void write(String name, Object value) throws IOException {
    if (value == null) {
      raw.writeNull();
    } else if (value instanceof String text) {
      raw.writeString(masked(name, text));
    } else if (value instanceof Boolean b) {
      raw.writeBoolean(b);
    } else if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      raw.writeNumber(((Number) value).intValue());
    } else if (value instanceof Long l) {
      raw.writeNumber(l);
    } else if (value instanceof Double d) {
      raw.writeNumber(d);
    } else if (value instanceof Float f) {
      raw.writeNumber(f);
    } else if (value instanceof BigInteger big) {
      raw.writeNumber(big);
    } else if (value instanceof BigDecimal decimal) {
      raw.writeNumber(decimal);
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
   * {@link EcsSchema#topLevel}, remembered per name instance in a two-way cache of {@value
   * #VERDICTS} names: an application logs the same few names (usually string constants) on every
   * line, so this is one or two array reads for them.
   */
  private boolean topLevel(String name) {
    // two ways per set: names whose hashes share a set (request.id and tokens do) both stay
    int slot = name.hashCode() & (VERDICTS - 2);
    if (verdictNames[slot] == name) {
      return verdicts[slot];
    }
    if (verdictNames[slot + 1] == name) {
      return verdicts[slot + 1];
    }
    boolean topLevel = EcsSchema.topLevel(name);
    // the newer name takes the first way, the one it moves out the second
    verdictNames[slot + 1] = verdictNames[slot];
    verdicts[slot + 1] = verdicts[slot];
    verdictNames[slot] = name;
    verdicts[slot] = topLevel;
    return topLevel;
  }

  private void label(String name, Object value) {
    String key = EcsSchema.labelKey(name);
    if (labelTaken(key)) {
      for (int i = 2; ; i++) {
        String candidate = key + "_" + i;
        if (!labelTaken(candidate)) {
          key = candidate;
          break;
        }
      }
    }
    if (labelCount == labelKeys.length) {
      labelKeys = Arrays.copyOf(labelKeys, labelCount * 2);
      labelNames = Arrays.copyOf(labelNames, labelCount * 2);
      labelValues = Arrays.copyOf(labelValues, labelCount * 2);
    }
    labelKeys[labelCount] = key;
    labelNames[labelCount] = name;
    labelValues[labelCount] = value;
    labelCount++;
    if (labelCount > LINEAR) {
      if (moreLabelKeys == null) {
        moreLabelKeys = new HashSet<>();
      }
      if (labelCount == LINEAR + 1) {
        moreLabelKeys.addAll(Arrays.asList(labelKeys).subList(0, LINEAR));
      }
      moreLabelKeys.add(key);
    }
  }

  /**
   * Whether a label of the event has {@code key}. Label keys hold no dot ({@link
   * EcsSchema#labelKey}), so two overlap only when they are equal.
   */
  private boolean labelTaken(String key) {
    if (labelCount > LINEAR) {
      return moreLabelKeys.contains(key);
    }
    for (int i = 0; i < labelCount; i++) {
      if (labelKeys[i].equals(key)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The text of a label's value, masked; null when it is a structured value's JSON text, left for
   * {@link UserValueWriter#writeLabelText}.
   */
  private @Nullable String labelText(String key, String name, Object value) {
    try {
      if (secret(name) || secret(key)) {
        return SecretMasker.MASK;
      }
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
      return failed(name, failure);
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
}
