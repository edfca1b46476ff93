package com.aicompanion.monitoring.health.internal;

/**
 * A minimal JSON writer for the two small documents this module produces (health+json and
 * Alertmanager's alert list). Strings are escaped per RFC 8259, including every control character,
 * so that check output or alert text can never break the document.
 */
public final class Json {
  private final StringBuilder out = new StringBuilder(256);
  private boolean needComma;

  public Json beginObject() {
    comma();
    out.append('{');
    needComma = false;
    return this;
  }

  public Json endObject() {
    out.append('}');
    needComma = true;
    return this;
  }

  public Json beginArray() {
    comma();
    out.append('[');
    needComma = false;
    return this;
  }

  public Json endArray() {
    out.append(']');
    needComma = true;
    return this;
  }

  /** A member name; follow it with a value, an object or an array. */
  public Json name(String name) {
    comma();
    string(name);
    out.append(':');
    needComma = false;
    return this;
  }

  public Json value(String value) {
    comma();
    if (value == null) {
      out.append("null");
    } else {
      string(value);
    }
    needComma = true;
    return this;
  }

  /** A number; NaN and infinities, which JSON cannot express, are written as null. */
  public Json value(double value) {
    comma();
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      out.append("null");
    } else if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      out.append((long) value);
    } else {
      out.append(value);
    }
    needComma = true;
    return this;
  }

  /** {@code "name": value}, skipped when value is null. */
  public Json field(String name, String value) {
    return value == null ? this : name(name).value(value);
  }

  @Override
  public String toString() {
    return out.toString();
  }

  private void comma() {
    if (needComma) {
      out.append(',');
      needComma = false;
    }
  }

  private void string(String s) {
    com.aicompanion.monitoring.JsonStrings.quote(s, out);
  }
}
